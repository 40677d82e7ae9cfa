package io.sluice.egress.internal;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/**
 * A URL's destination, parsed by Sluice itself from the raw authority: no lenient library parsing
 * between what the tenant wrote and the address that is judged.
 *
 * @param https whether TLS is used
 * @param host the normalized host name, or the canonical text of a numeric address
 * @param literal the address when the host is numeric (in any spelling), else empty
 * @param port the explicit or default port
 * @param requestTarget the raw path and query ({@code /} when the path is empty)
 */
public record Destination(
    boolean https, String host, Optional<byte[]> literal, int port, String requestTarget) {

  /** Thrown with a client-facing sentence when a URL cannot be a destination. */
  public static final class Unacceptable extends Exception {
    private static final long serialVersionUID = 1L;

    Unacceptable(String reason) {
      super(reason, null, false, false);
    }
  }

  /** Parses {@code url}, refusing plain http unless {@code allowPlainHttp}. */
  public static Destination parse(URI url, boolean allowPlainHttp) throws Unacceptable {
    boolean https = https(url, allowPlainHttp);
    String authority = url.getRawAuthority();
    if (authority == null || authority.isEmpty()) {
      throw new Unacceptable("the URL has no host");
    }
    if (authority.contains("@")) {
      throw new Unacceptable("the URL must not contain user information (user:password@)");
    }
    int defaultPort = https ? 443 : 80;
    return authority.startsWith("[")
        ? bracketed(https, authority, defaultPort, requestTarget(url))
        : named(https, authority, defaultPort, requestTarget(url));
  }

  /** The value of the Host header. */
  public String hostHeader() {
    String name = host.contains(":") ? "[" + host + "]" : host;
    return port == (https ? 443 : 80) ? name : name + ":" + port;
  }

  private static boolean https(URI url, boolean allowPlainHttp) throws Unacceptable {
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (scheme.equals("https")) {
      return true;
    }
    if (scheme.equals("http") && allowPlainHttp) {
      return false;
    }
    throw new Unacceptable(
        scheme.isEmpty() || scheme.equals("http")
            ? "the URL must use https"
            : "the URL must use https, not " + scheme);
  }

  private static Destination bracketed(
      boolean https, String authority, int defaultPort, String target) throws Unacceptable {
    int close = authority.indexOf(']');
    if (close < 0) {
      throw new Unacceptable("the URL's host is not a valid IPv6 address");
    }
    String text = authority.substring(1, close);
    if (text.contains("%")) {
      throw new Unacceptable("the URL's host must not carry an IPv6 zone id (" + text + ")");
    }
    byte[] address =
        IpLiterals.ipv6(text)
            .orElseThrow(() -> new Unacceptable("the URL's host is not a valid IPv6 address"));
    int port = port(authority.substring(close + 1), defaultPort);
    return new Destination(https, canonical(address), Optional.of(address), port, target);
  }

  private static Destination named(boolean https, String authority, int defaultPort, String target)
      throws Unacceptable {
    int colon = authority.lastIndexOf(':');
    String rawHost = colon < 0 ? authority : authority.substring(0, colon);
    int port = port(colon < 0 ? "" : authority.substring(colon), defaultPort);
    if (rawHost.contains("%") || !rawHost.chars().allMatch(c -> c > ' ' && c < 127)) {
      throw new Unacceptable(
          "the URL's host must be plain ASCII (punycode for international names), not encoded");
    }
    String host = HostNames.normalize(rawHost);
    if (IpLiterals.endsInANumber(host)) {
      byte[] address =
          IpLiterals.lenientIpv4(host)
              .orElseThrow(
                  () ->
                      new Unacceptable(
                          "the URL's host is not a valid IPv4 address (" + host + ")"));
      return new Destination(https, canonical(address), Optional.of(address), port, target);
    }
    if (!HostNames.isValid(host)) {
      throw new Unacceptable("the URL's host is not a valid host name (" + rawHost + ")");
    }
    return new Destination(https, host, Optional.empty(), port, target);
  }

  private static int port(String text, int defaultPort) throws Unacceptable {
    if (text.isEmpty() || text.equals(":")) {
      return defaultPort;
    }
    String digits = text.substring(1);
    boolean valid =
        text.startsWith(":")
            && digits.length() <= 5
            && digits.chars().allMatch(c -> c >= '0' && c <= '9');
    int port = valid ? Integer.parseInt(digits) : 0;
    if (port < 1 || port > 65535) {
      throw new Unacceptable("the URL's port is not valid");
    }
    return port;
  }

  private static String requestTarget(URI url) {
    String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
    return url.getRawQuery() == null ? path : path + "?" + url.getRawQuery();
  }

  /** The usual text form of an address ({@code 127.0.0.1}, {@code 0:0:0:0:0:0:0:1}). */
  public static String canonical(byte[] address) {
    try {
      return InetAddress.getByAddress(address).getHostAddress();
    } catch (UnknownHostException e) {
      throw new IllegalArgumentException("an address has 4 or 16 bytes", e);
    }
  }
}
