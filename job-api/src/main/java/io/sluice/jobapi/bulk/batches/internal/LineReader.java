package io.sluice.jobapi.bulk.batches.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Splits a stream into lines (LF or CRLF) of at most {@code maxBytes}: a longer line is skipped to
 * its end and reported as too long, never held.
 */
final class LineReader {
  private final InputStream in;
  private final int maxBytes;
  private final byte[] buffer = new byte[64 * 1024];
  private final ByteArrayOutputStream line = new ByteArrayOutputStream();
  private int pos;
  private int limit;
  private int number;

  /** A line: its bytes (without the line end), its 1-based number, and whether it was too long. */
  record Line(byte[] bytes, int number, boolean tooLong) {
    boolean blank() {
      for (byte b : bytes) {
        if (b != ' ' && b != '\t') {
          return false;
        }
      }
      return !tooLong;
    }
  }

  LineReader(InputStream in, int maxBytes) {
    this.in = in;
    this.maxBytes = maxBytes;
  }

  /** The next line, or {@code null} at the end of the stream. */
  Line next() throws IOException {
    line.reset();
    boolean tooLong = false;
    boolean any = false;
    while (true) {
      if (pos == limit) {
        limit = in.read(buffer, 0, buffer.length);
        pos = 0;
        if (limit <= 0) {
          limit = 0;
          return any ? finish(tooLong) : null;
        }
      }
      any = true;
      int start = pos;
      while (pos < limit && buffer[pos] != '\n') {
        pos++;
      }
      int length = pos - start;
      if (!tooLong && line.size() + length > maxBytes + 1) {
        tooLong = true;
        line.reset();
      }
      if (!tooLong) {
        line.write(buffer, start, length);
      }
      if (pos < limit) {
        pos++;
        return finish(tooLong);
      }
    }
  }

  private Line finish(boolean tooLong) {
    byte[] bytes = line.toByteArray();
    int length = bytes.length;
    if (length > 0 && bytes[length - 1] == '\r') {
      length--;
    }
    number++;
    boolean over = tooLong || length > maxBytes;
    byte[] content = over ? new byte[0] : java.util.Arrays.copyOf(bytes, length);
    return new Line(content, number, over);
  }
}
