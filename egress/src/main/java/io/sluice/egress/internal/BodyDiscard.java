package io.sluice.egress.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads past at most 64 KiB of a response body (Content-Length or chunked), so that a receiver that
 * answered in full sees an orderly close. Only the status counts: a body that is larger, broken or
 * slow is left unread.
 */
final class BodyDiscard {
  private static final int LIMIT = 64 * 1024;

  private BodyDiscard() {}

  static void discard(InputStream in, ResponseHead head) {
    if (!head.hasBody()) {
      return;
    }
    try {
      if (head.chunked()) {
        discardChunks(in);
      } else {
        in.skipNBytes(Math.min(head.contentLength(), LIMIT));
      }
    } catch (IOException e) {
      // The status is already read; an unread or broken body changes nothing.
    }
  }

  private static void discardChunks(InputStream in) throws IOException {
    int left = LIMIT;
    while (left > 0) {
      int size = chunkSize(in);
      if (size == 0 || size > left) {
        return;
      }
      in.skipNBytes(size + 2L);
      left -= size;
    }
  }

  private static int chunkSize(InputStream in) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b >= 0 && b != '\n' && line.size() < 256; b = in.read()) {
      line.write(b);
    }
    String text = line.toString(StandardCharsets.ISO_8859_1).strip();
    int extension = text.indexOf(';');
    String hex = extension < 0 ? text : text.substring(0, extension);
    try {
      return hex.isEmpty() || hex.length() > 7 ? 0 : Integer.parseInt(hex, 16);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
