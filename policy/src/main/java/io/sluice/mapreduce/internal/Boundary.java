package io.sluice.mapreduce.internal;

/** How strong the break is where a piece of a document begins: the chunker prefers stronger. */
public enum Boundary {
  /** Inside a word: only a grapheme cluster boundary (a word longer than a chunk). */
  GRAPHEME,
  /** Between words. */
  WORD,
  /** Between sentences (or lines). */
  SENTENCE,
  /** Between paragraphs (a blank line), or the start or end of the document. */
  PARAGRAPH;

  /** Whether it is stronger than another. */
  public boolean strongerThan(Boundary other) {
    return compareTo(other) > 0;
  }
}
