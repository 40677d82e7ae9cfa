package io.sluice.egress.internal;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The addresses a tenant's URL may not reach, and why: everything that is not a public unicast
 * address (IANA's special-purpose registries), with IPv6 forms that embed an IPv4 address judged by
 * that address.
 */
public final class BlockedAddresses {
  private record Block(Cidr range, String kind) {
    Block(String cidr, String kind) {
      this(Cidr.of(cidr), kind);
    }
  }

  /** Cloud instance metadata endpoints (AWS, GCP, Azure, Alibaba, Oracle; AWS's IPv6 one). */
  private static final List<Cidr> METADATA =
      List.of(
          Cidr.of("169.254.169.254/32"),
          Cidr.of("169.254.170.2/32"),
          Cidr.of("168.63.129.16/32"),
          Cidr.of("100.100.100.200/32"),
          Cidr.of("fd00:ec2::254/128"));

  private static final List<Block> IPV4 =
      List.of(
          new Block("0.0.0.0/8", "unspecified"),
          new Block("10.0.0.0/8", "private"),
          new Block("100.64.0.0/10", "shared (carrier-grade NAT)"),
          new Block("127.0.0.0/8", "loopback"),
          new Block("169.254.0.0/16", "link-local"),
          new Block("172.16.0.0/12", "private"),
          new Block("192.0.0.0/24", "reserved"),
          new Block("192.0.2.0/24", "documentation"),
          new Block("192.31.196.0/24", "reserved"),
          new Block("192.52.193.0/24", "reserved"),
          new Block("192.88.99.0/24", "reserved"),
          new Block("192.168.0.0/16", "private"),
          new Block("192.175.48.0/24", "reserved"),
          new Block("198.18.0.0/15", "benchmarking"),
          new Block("198.51.100.0/24", "documentation"),
          new Block("203.0.113.0/24", "documentation"),
          new Block("224.0.0.0/4", "multicast"),
          new Block("255.255.255.255/32", "broadcast"),
          new Block("240.0.0.0/4", "reserved"));

  private static final Cidr IPV4_MAPPED = Cidr.of("::ffff:0:0/96");
  private static final Cidr IPV4_TRANSLATED = Cidr.of("::ffff:0:0:0/96");
  private static final Cidr IPV4_COMPATIBLE = Cidr.of("::/96");
  private static final Cidr NAT64 = Cidr.of("64:ff9b::/96");
  private static final Cidr SIX_TO_FOUR = Cidr.of("2002::/16");
  private static final Cidr GLOBAL_UNICAST = Cidr.of("2000::/3");

  private static final List<Block> IPV6 =
      List.of(
          new Block("::/128", "unspecified"),
          new Block("::1/128", "loopback"),
          new Block("64:ff9b:1::/48", "reserved"),
          new Block("100::/64", "reserved"),
          new Block("2001::/32", "reserved"),
          new Block("2001:2::/48", "benchmarking"),
          new Block("2001:10::/28", "reserved"),
          new Block("2001:20::/28", "reserved"),
          new Block("2001:db8::/32", "documentation"),
          new Block("3fff::/20", "documentation"),
          new Block("5f00::/16", "reserved"),
          new Block("fc00::/7", "private (unique local)"),
          new Block("fe80::/10", "link-local"),
          new Block("fec0::/10", "private (site-local)"),
          new Block("ff00::/8", "multicast"));

  private BlockedAddresses() {}

  /** Why {@code address} (4 or 16 bytes) may not be reached, or empty when it is public. */
  public static Optional<String> kind(byte[] address) {
    if (isMetadata(address)) {
      return Optional.of("cloud metadata");
    }
    return address.length == 4 ? kindOf(IPV4, address) : ipv6Kind(address);
  }

  /** True for the cloud metadata endpoints, which a host-name allow-list entry never admits. */
  public static boolean isMetadata(byte[] address) {
    if (METADATA.stream().anyMatch(range -> range.contains(address))) {
      return true;
    }
    return embeddedIpv4(address).map(BlockedAddresses::isMetadata).orElse(false);
  }

  private static Optional<String> ipv6Kind(byte[] address) {
    Optional<byte[]> embedded = embeddedIpv4(address);
    if (embedded.isPresent()) {
      Optional<String> kind = kindOf(IPV4, embedded.get());
      if (kind.isPresent() || NAT64.contains(address) || SIX_TO_FOUR.contains(address)) {
        return kind;
      }
      if (IPV4_MAPPED.contains(address)) {
        return Optional.empty();
      }
    }
    Optional<String> kind = kindOf(IPV6, address);
    if (kind.isPresent()) {
      return kind;
    }
    return GLOBAL_UNICAST.contains(address) ? Optional.empty() : Optional.of("reserved");
  }

  /**
   * The IPv4 address inside an IPv4-mapped ({@code ::ffff:a.b.c.d}), IPv4-translated, deprecated
   * IPv4-compatible ({@code ::a.b.c.d}), NAT64 ({@code 64:ff9b::a.b.c.d}) or 6to4 ({@code
   * 2002:AABB:CCDD::}) address.
   */
  private static Optional<byte[]> embeddedIpv4(byte[] address) {
    if (address.length != 16) {
      return Optional.empty();
    }
    if (SIX_TO_FOUR.contains(address)) {
      return Optional.of(Arrays.copyOfRange(address, 2, 6));
    }
    boolean embedsTail =
        IPV4_MAPPED.contains(address)
            || IPV4_TRANSLATED.contains(address)
            || NAT64.contains(address)
            || (IPV4_COMPATIBLE.contains(address) && !isUnspecifiedOrLoopback(address));
    return embedsTail ? Optional.of(Arrays.copyOfRange(address, 12, 16)) : Optional.empty();
  }

  private static boolean isUnspecifiedOrLoopback(byte[] address) {
    for (int i = 0; i < 15; i++) {
      if (address[i] != 0) {
        return false;
      }
    }
    return address[15] == 0 || address[15] == 1;
  }

  private static Optional<String> kindOf(List<Block> blocks, byte[] address) {
    return blocks.stream()
        .filter(block -> block.range().contains(address))
        .map(Block::kind)
        .findFirst();
  }
}
