package io.sluice.mapreduce;

/**
 * One piece of a document that a map call carries.
 *
 * @param index its place in the document, from 0
 * @param start the offset of its first {@code char} in the document (inclusive)
 * @param end the offset after its last {@code char} (exclusive)
 * @param tokens its text's tokens by the model's estimator, never over the chunk limit
 * @param newTextStart where the text not in the previous chunk begins: {@code start} for the first
 *     chunk and for chunks without overlap; {@code [start, newTextStart)} repeats the end of the
 *     previous chunk
 */
public record Chunk(int index, int start, int end, long tokens, int newTextStart) {

  public Chunk {
    if (index < 0 || start < 0 || end <= start || newTextStart < start || newTextStart >= end) {
      throw new IllegalArgumentException(
          "chunk " + index + ": bad range [" + start + ", " + end + ") new from " + newTextStart);
    }
  }

  /** Whether it repeats text from the previous chunk. */
  public boolean overlaps() {
    return newTextStart > start;
  }

  /** Its text, cut from the document it was made from. */
  public String text(String document) {
    return document.substring(start, end);
  }

  /** Its length in {@code char}s. */
  public int length() {
    return end - start;
  }
}
