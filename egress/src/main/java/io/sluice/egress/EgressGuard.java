package io.sluice.egress;

import io.sluice.egress.internal.AllowList;
import io.sluice.egress.internal.BlockedAddresses;
import io.sluice.egress.internal.Destination;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides whether a tenant's URL may be reached: its scheme, its host in every spelling, and every
 * address its host name resolves to, against the {@link EgressRules}. Thread-safe.
 */
public final class EgressGuard {
  private final EgressRules rules;
  private final AllowList allowList;
  private final HostResolver resolver;

  public EgressGuard(EgressRules rules, HostResolver resolver) {
    if (rules == null || resolver == null) {
      throw new IllegalArgumentException("egress rules and resolver are required");
    }
    this.rules = rules;
    this.allowList = AllowList.parse(rules.allowList());
    this.resolver = resolver;
  }

  /**
   * Checks {@code url} now, resolving its host name once. Used at registration and, through {@link
   * EgressClient}, before every delivery (whose connection goes only to the addresses checked).
   */
  public EgressCheck check(URI url) {
    return switch (decide(url)) {
      case Verdict.Admitted admitted -> new EgressCheck.Allowed(url, admitted.addresses());
      case Verdict.Rejected rejected -> new EgressCheck.Refused(rejected.reason());
      case Verdict.Unresolved unresolved -> new EgressCheck.Refused(unresolved.reason());
    };
  }

  /** The verdict with the parsed destination, for the client that connects to it. */
  sealed interface Verdict {
    record Admitted(Destination destination, List<InetAddress> addresses) implements Verdict {}

    record Rejected(String reason) implements Verdict {}

    /** The host name did not resolve: refused at registration, retriable at delivery. */
    record Unresolved(String reason) implements Verdict {}
  }

  Verdict decide(URI url) {
    if (url == null) {
      return new Verdict.Rejected("the URL is required");
    }
    Destination destination;
    try {
      destination = Destination.parse(url, rules.allowPlainHttp());
    } catch (Destination.Unacceptable e) {
      return new Verdict.Rejected(e.getMessage());
    }
    if (destination.literal().isPresent()) {
      return judge(destination, List.of(destination.literal().get()), "is");
    }
    Optional<List<byte[]>> resolved = resolve(destination.host());
    if (resolved.isEmpty()) {
      return new Verdict.Unresolved(
          "the URL's host name does not resolve (" + destination.host() + ")");
    }
    return judge(destination, resolved.get(), "resolves to");
  }

  private Optional<List<byte[]>> resolve(String host) {
    List<InetAddress> answer;
    try {
      answer = resolver.resolve(host);
    } catch (UnknownHostException e) {
      return Optional.empty();
    }
    if (answer == null || answer.isEmpty()) {
      return Optional.empty();
    }
    List<byte[]> addresses = new ArrayList<>();
    for (InetAddress address : answer) {
      if (address == null) {
        return Optional.empty();
      }
      addresses.add(address.getAddress());
    }
    return Optional.of(addresses);
  }

  private Verdict judge(Destination destination, List<byte[]> addresses, String verb) {
    List<InetAddress> admitted = new ArrayList<>();
    for (byte[] address : addresses) {
      Optional<String> refusal = refusal(destination, address);
      if (refusal.isPresent()) {
        return new Verdict.Rejected(
            "the URL's host "
                + verb
                + " "
                + article(refusal.get())
                + " address ("
                + Destination.canonical(address)
                + ")");
      }
      admitted.add(unnamed(address));
    }
    return new Verdict.Admitted(destination, List.copyOf(admitted));
  }

  private Optional<String> refusal(Destination destination, byte[] address) {
    if (allowList.coversAddress(address)) {
      return Optional.empty();
    }
    boolean hostAdmitted =
        destination.literal().isEmpty() && allowList.coversHost(destination.host());
    if (hostAdmitted && !BlockedAddresses.isMetadata(address)) {
      return Optional.empty();
    }
    return BlockedAddresses.kind(address);
  }

  private static String article(String kind) {
    return (kind.startsWith("unspecified") ? "an " : "a ") + kind;
  }

  private static InetAddress unnamed(byte[] address) {
    try {
      return InetAddress.getByAddress(address);
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("an address has 4 or 16 bytes", e);
    }
  }
}
