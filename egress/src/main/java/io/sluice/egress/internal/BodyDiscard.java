package io.sluice.egress.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads past at most 64 KiB of a response body (Content-Length or chunked, trailers included), so
 * that a receiver that answered in full sees an orderly close, or the connection can carry the next
 * exchange. Only the status counts: a body that is larger, broken or slow is left unread, and the
 * connection is not used again.
 */
final class BodyDiscard {
  private static final int LIMIT = 64 * 1024;
  private static final int MAX_LINE = 256;

  private BodyDiscard() {}

  /** Reads past the body; true when it was read to its end, false when left unread or broken. */
  static boolean discard(InputStream in, ResponseHead head) {
    if (!head.hasBody()) {
      return true;
    }
    try {
      return head.chunked() ? discardChunks(in) : discardLength(in, head.contentLength());
    } catch (IOException e) {
      // The status is already read; an unread or broken body changes nothing but the connection.
      return false;
    }
  }

  private static boolean discardLength(InputStream in, long length) throws IOException {
    in.skipNBytes(Math.min(length, LIMIT));
    return length <= LIMIT;
  }

  private static boolean discardChunks(InputStream in) throws IOException {
    int left = LIMIT;
    while (true) {
      int size = chunkSize(in);
      if (size < 0 || size > left) {
        return false;
      }
      if (size == 0) {
        return discardTrailers(in, left);
      }
      in.skipNBytes(size);
      if (!line(in).isEmpty()) {
        return false;
      }
      left -= size;
    }
  }

  /** The trailer section after the last chunk, up to its empty line. */
  private static boolean discardTrailers(InputStream in, int left) throws IOException {
    for (String line = line(in); !line.isEmpty(); line = line(in)) {
      left -= line.length();
      if (left < 0) {
        return false;
      }
    }
    return true;
  }

  /** The size of the next chunk, or -1 when its line is not a hex size. */
  private static int chunkSize(InputStream in) throws IOException {
    String text = line(in).strip();
    int extension = text.indexOf(';');
    String hex = extension < 0 ? text : text.substring(0, extension).strip();
    boolean valid =
        !hex.isEmpty()
            && hex.length() <= 7
            && hex.chars().allMatch(c -> Character.digit(c, 16) >= 0);
    return valid ? Integer.parseInt(hex, 16) : -1;
  }

  /** One line without its CRLF (or bare LF). */
  private static String line(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b < 0 || line.size() >= MAX_LINE) {
        throw new IOException("the response body's chunk framing is broken");
      }
      line.write(b);
    }
    String text = line.toString(StandardCharsets.ISO_8859_1);
    return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
  }
}
