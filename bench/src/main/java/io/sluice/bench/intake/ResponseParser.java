package io.sluice.bench.intake;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * Reads one HTTP/1.1 response at a time off a keep-alive connection, as little as the benchmark
 * needs: the status code, where the response ends ({@code Content-Length} or chunked), whether the
 * server closes the connection after it, and the job ID of a {@code 202} body (its first {@code
 * "id":"…"}). Not thread-safe; one per connection.
 */
public final class ResponseParser {
  private static final byte[] HEADER_END = {'\r', '\n', '\r', '\n'};
  private static final byte[] ID_FIELD = "\"id\":\"".getBytes(StandardCharsets.US_ASCII);
  private static final int STATUS_OFFSET = "HTTP/1.1 ".length();

  private byte[] bytes = new byte[2048];
  private int length;
  private int headerEnd = -1;
  private int status;
  private long contentLength = -1;
  private boolean chunked;
  private boolean close;

  /**
   * Takes what {@code in} holds (flipped for reading) and says whether a whole response is in.
   *
   * @throws IllegalStateException when the bytes are not an HTTP/1.x response
   */
  public boolean feed(ByteBuffer in) {
    int n = in.remaining();
    if (length + n > bytes.length) {
      bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + n));
    }
    in.get(bytes, length, n);
    length += n;
    if (headerEnd < 0 && !readHeaders()) {
      return false;
    }
    return chunked ? chunkedBodyEnds() : length - headerEnd >= Math.max(0, contentLength);
  }

  private boolean readHeaders() {
    int end = indexOf(HEADER_END, 0, length);
    if (end < 0) {
      return false;
    }
    headerEnd = end + HEADER_END.length;
    String head = new String(bytes, 0, end, StandardCharsets.ISO_8859_1);
    if (!head.startsWith("HTTP/1.") || head.length() < STATUS_OFFSET + 3) {
      throw new IllegalStateException("not an HTTP/1.x response: " + firstLine(head));
    }
    status = Integer.parseInt(head.substring(STATUS_OFFSET, STATUS_OFFSET + 3));
    close = head.startsWith("HTTP/1.0");
    for (String line : head.split("\r\n")) {
      header(line);
    }
    if (contentLength < 0 && !chunked) {
      contentLength = 0; // no body we could find the end of: 1xx/204/304, or none sent
    }
    return true;
  }

  private void header(String line) {
    int colon = line.indexOf(':');
    if (colon < 0) {
      return;
    }
    String name = line.substring(0, colon).trim().toLowerCase(Locale.ROOT);
    String value = line.substring(colon + 1).trim().toLowerCase(Locale.ROOT);
    switch (name) {
      case "content-length" -> contentLength = Long.parseLong(value);
      case "transfer-encoding" -> chunked = value.contains("chunked");
      case "connection" -> close = connectionCloses(value);
      default -> {}
    }
  }

  private boolean connectionCloses(String value) {
    if (value.contains("close")) {
      return true;
    }
    return !value.contains("keep-alive") && close;
  }

  private static String firstLine(String head) {
    int eol = head.indexOf('\r');
    return eol < 0 ? head : head.substring(0, eol);
  }

  /**
   * Walks the chunks from the body's start; true once the last (empty) chunk and its CRLF are in.
   */
  private boolean chunkedBodyEnds() {
    int at = headerEnd;
    while (true) {
      int eol = indexOf(new byte[] {'\r', '\n'}, at, length);
      if (eol < 0) {
        return false;
      }
      String size = new String(bytes, at, eol - at, StandardCharsets.ISO_8859_1);
      int semicolon = size.indexOf(';');
      int chunk =
          Integer.parseInt((semicolon < 0 ? size : size.substring(0, semicolon)).trim(), 16);
      at = eol + 2;
      if (chunk == 0) {
        return indexOf(new byte[] {'\r', '\n'}, at, length) >= 0; // trailers end with an empty line
      }
      at += chunk + 2;
      if (at > length) {
        return false;
      }
    }
  }

  private int indexOf(byte[] needle, int from, int to) {
    outer:
    for (int i = from; i <= to - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (bytes[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  public int status() {
    return status;
  }

  /** Whether the server closes the connection after this response. */
  public boolean closesConnection() {
    return close;
  }

  /** The first {@code "id":"…"} of the body, or null. */
  public String jobId() {
    int field = indexOf(ID_FIELD, headerEnd, length);
    if (field < 0) {
      return null;
    }
    int start = field + ID_FIELD.length;
    for (int i = start; i < length; i++) {
      if (bytes[i] == '"') {
        return new String(bytes, start, i - start, StandardCharsets.US_ASCII);
      }
    }
    return null;
  }

  /** Ready for the next response on the connection. */
  public void reset() {
    length = 0;
    headerEnd = -1;
    status = 0;
    contentLength = -1;
    chunked = false;
    close = false;
  }
}
