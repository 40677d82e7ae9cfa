package io.sluice.egress.internal;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Strict parsers for numeric host spellings, written here rather than left to {@link
 * java.net.InetAddress}: a URL host must be judged by the address it will really reach, whatever
 * its spelling.
 */
public final class IpLiterals {
  private IpLiterals() {}

  /**
   * True when a host name "ends in a number" (the WHATWG URL rule): its last label is decimal
   * digits or {@code 0x} hex, so browsers and most HTTP libraries read the whole host as an IPv4
   * address ({@code 2130706433}, {@code 0177.0.0.1}, {@code 0x7f.1}, {@code 127.1}).
   */
  public static boolean endsInANumber(String host) {
    String last = host.substring(host.lastIndexOf('.') + 1);
    if (last.isEmpty()) {
      return false;
    }
    if (last.chars().allMatch(IpLiterals::isDigit)) {
      return true;
    }
    String lower = last.toLowerCase(Locale.ROOT);
    return lower.startsWith("0x") && lower.substring(2).chars().allMatch(IpLiterals::isHexDigit);
  }

  /**
   * The IPv4 address of a host in any of the spellings the WHATWG URL parser accepts: one to four
   * dot-separated parts, each decimal, octal (leading {@code 0}) or hex ({@code 0x}), the last
   * filling the remaining bytes. Empty when the host is not such a spelling.
   */
  public static Optional<byte[]> lenientIpv4(String host) {
    String[] parts = host.split("\\.", -1);
    if (parts.length > 4) {
      return Optional.empty();
    }
    long[] values = new long[parts.length];
    for (int i = 0; i < parts.length; i++) {
      long value = ipv4Number(parts[i]);
      if (value < 0) {
        return Optional.empty();
      }
      values[i] = value;
    }
    return assemble(values);
  }

  /** Strict dotted-decimal IPv4 ({@code 10.1.0.0}: four parts, no leading zeros). */
  public static Optional<byte[]> dottedDecimalIpv4(String text) {
    String[] parts = text.split("\\.", -1);
    if (parts.length != 4) {
      return Optional.empty();
    }
    byte[] bytes = new byte[4];
    for (int i = 0; i < 4; i++) {
      String part = parts[i];
      if (part.isEmpty()
          || part.length() > 3
          || !part.chars().allMatch(IpLiterals::isDigit)
          || (part.length() > 1 && part.charAt(0) == '0')) {
        return Optional.empty();
      }
      int value = Integer.parseInt(part);
      if (value > 255) {
        return Optional.empty();
      }
      bytes[i] = (byte) value;
    }
    return Optional.of(bytes);
  }

  /**
   * An IPv6 address in RFC 4291 text form (hex groups, one {@code ::}, an optional dotted-decimal
   * IPv4 tail), without brackets or zone id. Empty when the text is not exactly that.
   */
  public static Optional<byte[]> ipv6(String text) {
    if (text.isEmpty() || text.length() > 45 || text.indexOf("::") != text.lastIndexOf("::")) {
      return Optional.empty();
    }
    int gap = text.indexOf("::");
    if (gap < 0) {
      return groups(text).filter(g -> g.length == 16);
    }
    Optional<byte[]> head = gap == 0 ? Optional.of(new byte[0]) : groups(text.substring(0, gap));
    String tailText = text.substring(gap + 2);
    Optional<byte[]> tail = tailText.isEmpty() ? Optional.of(new byte[0]) : groups(tailText);
    if (head.isEmpty() || tail.isEmpty() || head.get().length + tail.get().length > 14) {
      return Optional.empty();
    }
    byte[] bytes = new byte[16];
    System.arraycopy(head.get(), 0, bytes, 0, head.get().length);
    System.arraycopy(tail.get(), 0, bytes, 16 - tail.get().length, tail.get().length);
    return Optional.of(bytes);
  }

  private static Optional<byte[]> groups(String text) {
    String[] groups = text.split(":", -1);
    byte[] bytes = new byte[groups.length * 2 + 2];
    int length = 0;
    for (int i = 0; i < groups.length; i++) {
      String group = groups[i];
      if (i == groups.length - 1 && group.contains(".")) {
        Optional<byte[]> v4 = dottedDecimalIpv4(group);
        if (v4.isEmpty()) {
          return Optional.empty();
        }
        System.arraycopy(v4.get(), 0, bytes, length, 4);
        length += 4;
      } else if (group.isEmpty()
          || group.length() > 4
          || !group.chars().allMatch(IpLiterals::isHexDigit)) {
        return Optional.empty();
      } else {
        int value = Integer.parseInt(group, 16);
        bytes[length++] = (byte) (value >> 8);
        bytes[length++] = (byte) value;
      }
    }
    return length > 16 ? Optional.empty() : Optional.of(Arrays.copyOf(bytes, length));
  }

  private static long ipv4Number(String part) {
    String lower = part.toLowerCase(Locale.ROOT);
    int radix = 10;
    if (lower.startsWith("0x")) {
      radix = 16;
      lower = lower.substring(2);
      if (lower.isEmpty()) {
        return 0;
      }
    } else if (lower.length() > 1 && lower.startsWith("0")) {
      radix = 8;
      lower = lower.substring(1);
    }
    if (lower.isEmpty() || lower.length() > 32) {
      return -1;
    }
    long value = 0;
    for (char c : lower.toCharArray()) {
      int digit = Character.digit(c, radix);
      if (digit < 0 || !isHexDigit(c)) {
        return -1;
      }
      value = value * radix + digit;
      if (value > 0xFFFF_FFFFL) {
        return -1;
      }
    }
    return value;
  }

  private static Optional<byte[]> assemble(long[] values) {
    int last = values.length - 1;
    long address = 0;
    for (int i = 0; i < last; i++) {
      if (values[i] > 255) {
        return Optional.empty();
      }
      address |= values[i] << (8 * (3 - i));
    }
    if (values[last] >= 1L << (8 * (4 - last))) {
      return Optional.empty();
    }
    address |= values[last];
    return Optional.of(
        new byte[] {
          (byte) (address >> 24), (byte) (address >> 16), (byte) (address >> 8), (byte) address
        });
  }

  private static boolean isDigit(int c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isHexDigit(int c) {
    return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
  }
}
