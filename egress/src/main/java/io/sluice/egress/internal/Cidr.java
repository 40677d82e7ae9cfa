package io.sluice.egress.internal;

import java.util.Optional;

/** An address range: {@code network}'s first {@code prefix} bits. */
public record Cidr(byte[] network, int prefix) {

  /**
   * Parses {@code 10.1.0.0/16}, {@code fd00::/8}, or a single address ({@code 10.0.0.5}, {@code
   * ::1}) as a full-length range. Empty when the text is not one of those, or has host bits set.
   */
  public static Optional<Cidr> parse(String text) {
    int slash = text.indexOf('/');
    String address = slash < 0 ? text : text.substring(0, slash);
    Optional<byte[]> bytes =
        address.contains(":") ? IpLiterals.ipv6(address) : IpLiterals.dottedDecimalIpv4(address);
    if (bytes.isEmpty()) {
      return Optional.empty();
    }
    int bits = bytes.get().length * 8;
    int prefix = slash < 0 ? bits : prefixLength(text.substring(slash + 1), bits);
    if (prefix < 0) {
      return Optional.empty();
    }
    Cidr cidr = new Cidr(bytes.get(), prefix);
    return cidr.contains(bytes.get()) && hostBitsClear(bytes.get(), prefix)
        ? Optional.of(cidr)
        : Optional.empty();
  }

  /** A range from its known-good text form; for the built-in tables. */
  public static Cidr of(String text) {
    return parse(text).orElseThrow(() -> new IllegalArgumentException("bad CIDR " + text));
  }

  /** True when {@code address} (4 or 16 bytes) lies in this range. */
  public boolean contains(byte[] address) {
    if (address.length != network.length) {
      return false;
    }
    for (int bit = 0; bit < prefix; bit++) {
      if (bitAt(address, bit) != bitAt(network, bit)) {
        return false;
      }
    }
    return true;
  }

  private static int prefixLength(String text, int bits) {
    if (text.isEmpty()
        || text.length() > 3
        || !text.chars().allMatch(c -> c >= '0' && c <= '9')
        || (text.length() > 1 && text.charAt(0) == '0')) {
      return -1;
    }
    int prefix = Integer.parseInt(text);
    return prefix <= bits ? prefix : -1;
  }

  private static boolean hostBitsClear(byte[] address, int prefix) {
    for (int bit = prefix; bit < address.length * 8; bit++) {
      if (bitAt(address, bit) != 0) {
        return false;
      }
    }
    return true;
  }

  private static int bitAt(byte[] bytes, int bit) {
    return (bytes[bit / 8] >> (7 - bit % 8)) & 1;
  }
}
