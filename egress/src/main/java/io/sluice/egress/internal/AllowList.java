package io.sluice.egress.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** The operator's parsed allow-list: address ranges and exact host names. */
public record AllowList(List<Cidr> ranges, Set<String> hosts) {

  /**
   * Parses entries that are CIDRs ({@code 10.1.0.0/16}, {@code fd00::/8}), single addresses or
   * exact host names ({@code hooks.internal}).
   *
   * @throws IllegalArgumentException naming the first entry that is none of those
   */
  public static AllowList parse(List<String> entries) {
    List<Cidr> ranges = new ArrayList<>();
    Set<String> hosts = new HashSet<>();
    for (String entry : entries) {
      if (entry == null) {
        throw new IllegalArgumentException("egress allow-list entry is null");
      }
      Optional<Cidr> range = Cidr.parse(entry.trim());
      if (range.isPresent()) {
        ranges.add(range.get());
      } else {
        hosts.add(hostEntry(entry));
      }
    }
    return new AllowList(List.copyOf(ranges), Set.copyOf(hosts));
  }

  /** True when {@code address} lies in one of the ranges. */
  public boolean coversAddress(byte[] address) {
    return ranges.stream().anyMatch(range -> range.contains(address));
  }

  /** True when {@code normalizedHost} is one of the host names. */
  public boolean coversHost(String normalizedHost) {
    return hosts.contains(normalizedHost);
  }

  private static String hostEntry(String entry) {
    String name = HostNames.normalize(entry.trim());
    boolean looksNumeric =
        name.contains("/") || name.contains(":") || IpLiterals.endsInANumber(name);
    if (looksNumeric || !HostNames.isValid(name)) {
      throw new IllegalArgumentException(
          "egress allow-list entry '"
              + entry
              + "' is neither a CIDR (10.1.0.0/16, fd00::/8, host bits clear) nor a host name");
    }
    return name;
  }
}
