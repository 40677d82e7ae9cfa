package io.sluice.egress;

import java.net.InetAddress;
import java.net.URI;
import java.util.List;

/** The verdict of {@link EgressGuard#check(URI)} on one URL. */
public sealed interface EgressCheck {
  /** The URL may be reached, at exactly these addresses (every one of them checked). */
  record Allowed(URI url, List<InetAddress> addresses) implements EgressCheck {
    public Allowed {
      addresses = List.copyOf(addresses);
    }
  }

  /**
   * The URL may not be reached. {@code reason} is a short sentence for the client, e.g. "the URL's
   * host resolves to a private address (10.0.0.5)".
   */
  record Refused(String reason) implements EgressCheck {}
}
