package io.sluice.egress.internal;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The status and the few headers Sluice reads from an HTTP/1.x response, read with bounds: a line
 * of at most 8 KiB, a head of at most 64 KiB, interim (1xx) responses skipped.
 *
 * @param contentLength the Content-Length, or -1 when there is none (or it is not a number)
 * @param keepAlive whether the server lets the connection carry another exchange: HTTP/1.1 without
 *     {@code Connection: close}
 */
public record ResponseHead(
    int status,
    Optional<String> retryAfter,
    long contentLength,
    boolean chunked,
    boolean keepAlive) {
  private static final Pattern STATUS_LINE =
      Pattern.compile("HTTP/1\\.([01]) ([1-5][0-9]{2})(?: .*)?");
  private static final Pattern RETRY_AFTER = Pattern.compile("[ -~]{1,64}");
  private static final int MAX_LINE = 8 * 1024;
  private static final int MAX_HEAD = 64 * 1024;
  private static final int MAX_INTERIM = 10;

  /** The response is not HTTP/1.x, or exceeds the bounds. */
  public static final class Malformed extends IOException {
    private static final long serialVersionUID = 1L;

    Malformed(String message) {
      super(message);
    }
  }

  /** Reads the final response head from {@code in}, leaving it at the start of the body. */
  public static ResponseHead read(InputStream in) throws IOException {
    int[] budget = {MAX_HEAD};
    for (int interim = 0; interim <= MAX_INTERIM; interim++) {
      ResponseHead head = readOne(in, budget);
      if (head.status() >= 200 || head.status() == 101) {
        return head;
      }
    }
    throw new Malformed("more than " + MAX_INTERIM + " interim responses");
  }

  /** True when a body follows, as far as the head says. */
  public boolean hasBody() {
    return mayHaveBody() && (chunked || contentLength > 0);
  }

  /**
   * True when the connection may carry another exchange once the body is read: the server keeps it
   * alive and the head says where the body ends (no body, a Content-Length or chunked, not both). A
   * body that ends only when the server closes, or a switch of protocols, ends the connection.
   */
  public boolean allowsReuse() {
    boolean framed = !mayHaveBody() || chunked != (contentLength >= 0); // exactly one of the two
    return keepAlive && status != 101 && framed;
  }

  private boolean mayHaveBody() {
    return status != 204 && status != 304;
  }

  private static ResponseHead readOne(InputStream in, int[] budget) throws IOException {
    Matcher status = STATUS_LINE.matcher(line(in, budget));
    if (!status.matches()) {
      throw new Malformed("the response does not start with an HTTP/1.x status line");
    }
    Optional<String> retryAfter = Optional.empty();
    long contentLength = -1;
    boolean chunked = false;
    boolean keepAlive = status.group(1).equals("1");
    for (String line = line(in, budget); !line.isEmpty(); line = line(in, budget)) {
      int colon = line.indexOf(':');
      if (colon <= 0) {
        throw new Malformed("a response header line has no name");
      }
      String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).trim();
      switch (name) {
        case "retry-after" ->
            retryAfter =
                retryAfter.or(
                    () -> Optional.of(value).filter(v -> RETRY_AFTER.matcher(v).matches()));
        case "content-length" -> contentLength = contentLength(value);
        case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).endsWith("chunked");
        case "connection" -> keepAlive &= !closes(value);
        default -> {}
      }
    }
    return new ResponseHead(
        Integer.parseInt(status.group(2)), retryAfter, contentLength, chunked, keepAlive);
  }

  private static boolean closes(String connection) {
    for (String token : connection.split(",")) {
      if (token.strip().equalsIgnoreCase("close")) {
        return true;
      }
    }
    return false;
  }

  private static long contentLength(String value) {
    if (value.isEmpty() || value.length() > 18 || !value.chars().allMatch(Character::isDigit)) {
      return -1;
    }
    return Long.parseLong(value);
  }

  private static String line(InputStream in, int[] budget) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    while (true) {
      int b = in.read();
      if (b < 0) {
        throw new EOFException("the connection closed before the response head was complete");
      }
      if (--budget[0] < 0 || line.size() >= MAX_LINE) {
        throw new Malformed("the response head is too long");
      }
      if (b == '\n') {
        byte[] bytes = line.toByteArray();
        int length =
            bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
      }
      line.write(b);
    }
  }
}
