package io.sluice.dispatcher.mapreduce;

/**
 * A partial answer kept until its level is complete: a map or reduce call's output, or the mark of
 * a chunk whose map call failed for good (skipped under {@code on_chunk_error: skip}).
 *
 * @param text the output, or {@code null} for a failed chunk
 * @param failure why the chunk's map call failed ({@code code: message}), or {@code null}
 */
public record StoredAnswer(String text, String failure) {

  public static StoredAnswer of(String text) {
    return new StoredAnswer(text == null ? "" : text, null);
  }

  public static StoredAnswer failed(String why) {
    return new StoredAnswer(null, why);
  }

  public boolean hasFailed() {
    return failure != null;
  }
}
