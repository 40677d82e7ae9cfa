package io.sluice.egress;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Answers which addresses a host name has. Injectable so that tests can change the DNS answer
 * between two calls (DNS rebinding); {@link EgressGuard} asks it exactly once per check and judges
 * every address it returns.
 */
public interface HostResolver {
  /** Every address of {@code host}, a host name (never a numeric address). */
  List<InetAddress> resolve(String host) throws UnknownHostException;

  /** The operating system's resolver through {@link InetAddress#getAllByName(String)}. */
  static HostResolver system() {
    return host -> List.of(InetAddress.getAllByName(host));
  }
}
