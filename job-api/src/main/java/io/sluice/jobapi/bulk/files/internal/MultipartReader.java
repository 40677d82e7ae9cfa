package io.sluice.jobapi.bulk.files.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a {@code multipart/form-data} body (RFC 7578) part by part from a stream, each part's body
 * as a stream of its own: never more than one buffer of the body is in memory, whatever its size.
 */
final class MultipartReader {
  private static final Pattern BOUNDARY =
      Pattern.compile("(?i)boundary=(?:\"([^\"]{1,70})\"|([^;\\s]{1,70}))");
  private static final Pattern NAME = Pattern.compile("(?i);\\s*name=\"([^\"]*)\"");
  private static final Pattern FILENAME = Pattern.compile("(?i);\\s*filename=\"([^\"]*)\"");
  private static final int MAX_HEADER_LINE = 8 * 1024;
  private static final int MAX_HEADERS = 32;

  private final InputStream in;
  private final byte[] delimiter;
  private final byte[] buffer = new byte[256 * 1024];
  private int pos;
  private int limit;
  private boolean eof;
  private boolean started;
  private PartBody current;

  /** A part: its form field name, its file name ({@code null} for a plain field), its body. */
  record Part(String name, String filename, InputStream body) {}

  /** A body that is not well-formed multipart. */
  static final class MalformedMultipartException extends IOException {
    MalformedMultipartException(String message) {
      super(message);
    }
  }

  private MultipartReader(InputStream in, String boundary) {
    this.in = in;
    this.delimiter = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
  }

  /** A reader for this body, or empty when the content type is not multipart with a boundary. */
  static Optional<MultipartReader> of(String contentType, InputStream body) {
    if (contentType == null
        || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
      return Optional.empty();
    }
    Matcher boundary = BOUNDARY.matcher(contentType);
    if (!boundary.find()) {
      return Optional.empty();
    }
    String value = boundary.group(1) != null ? boundary.group(1) : boundary.group(2);
    return Optional.of(new MultipartReader(body, value));
  }

  /** The next part (the previous one's unread body is skipped), or empty after the last. */
  Optional<Part> next() throws IOException {
    if (!started) {
      started = true;
      // The first delimiter has no CRLF in front of it: pretend there was one.
      buffer[0] = '\r';
      buffer[1] = '\n';
      limit = 2;
      current = new PartBody();
    }
    if (current != null) {
      current.skipAll();
      current = null;
    }
    int a = readByte();
    int b = readByte();
    if (a == '-' && b == '-') {
      return Optional.empty();
    }
    if (a != '\r' || b != '\n') {
      throw new MalformedMultipartException("a part delimiter is not followed by CRLF");
    }
    String name = null;
    String filename = null;
    for (int i = 0; ; i++) {
      String line = readHeaderLine();
      if (line.isEmpty()) {
        break;
      }
      if (i >= MAX_HEADERS) {
        throw new MalformedMultipartException("a part has more than " + MAX_HEADERS + " headers");
      }
      if (line.toLowerCase(Locale.ROOT).startsWith("content-disposition:")) {
        name = group(NAME, line);
        filename = group(FILENAME, line);
      }
    }
    current = new PartBody();
    return Optional.of(new Part(name, filename, current));
  }

  private static String group(Pattern pattern, String line) {
    Matcher matcher = pattern.matcher(line);
    return matcher.find() ? matcher.group(1) : null;
  }

  private String readHeaderLine() throws IOException {
    StringBuilder line = new StringBuilder();
    while (true) {
      int c = readByte();
      if (c == '\r') {
        if (readByte() != '\n') {
          throw new MalformedMultipartException("a part header line does not end with CRLF");
        }
        return line.toString();
      }
      if (line.length() >= MAX_HEADER_LINE) {
        throw new MalformedMultipartException("a part header line is too long");
      }
      line.append((char) c);
    }
  }

  private int readByte() throws IOException {
    if (pos == limit && !fill(1)) {
      throw new MalformedMultipartException("the body ends inside the multipart form");
    }
    return buffer[pos++] & 0xff;
  }

  /** Reads until at least {@code wanted} bytes are buffered; false when the stream ended first. */
  private boolean fill(int wanted) throws IOException {
    if (limit - pos >= wanted) {
      return true;
    }
    if (pos > 0) {
      System.arraycopy(buffer, pos, buffer, 0, limit - pos);
      limit -= pos;
      pos = 0;
    }
    while (limit < wanted && !eof) {
      int n = in.read(buffer, limit, buffer.length - limit);
      if (n < 0) {
        eof = true;
      } else {
        limit += n;
      }
    }
    return limit - pos >= wanted;
  }

  private int indexOfDelimiter() {
    byte first = delimiter[0];
    int last = limit - delimiter.length;
    outer:
    for (int i = pos; i <= last; i++) {
      if (buffer[i] != first) {
        continue;
      }
      for (int j = 1; j < delimiter.length; j++) {
        if (buffer[i + j] != delimiter[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  /** A part's body: the bytes up to the next delimiter. */
  private final class PartBody extends InputStream {
    private boolean done;

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] target, int offset, int length) throws IOException {
      if (done) {
        return -1;
      }
      if (length == 0) {
        return 0;
      }
      fill(Math.min(buffer.length, delimiter.length + 4096));
      int found = indexOfDelimiter();
      if (found == pos) {
        pos += delimiter.length;
        done = true;
        return -1;
      }
      int available = found >= 0 ? found - pos : limit - pos - (delimiter.length - 1);
      if (available <= 0) {
        throw new MalformedMultipartException("the body ends inside a part");
      }
      int n = Math.min(length, available);
      System.arraycopy(buffer, pos, target, offset, n);
      pos += n;
      return n;
    }

    void skipAll() throws IOException {
      byte[] sink = new byte[8192];
      while (read(sink, 0, sink.length) >= 0) {
        // discard
      }
    }
  }
}
