package io.sluice.mapreduce.internal;

/**
 * An unbreakable run of a document as far as packing goes: a paragraph, a sentence, a word or a run
 * of grapheme clusters, whichever is the largest unit that fits a chunk.
 *
 * @param start first {@code char} (inclusive)
 * @param end after the last {@code char} (exclusive)
 * @param tokens its text's tokens, at most the chunk limit
 * @param boundary the break where it begins
 */
public record Piece(int start, int end, long tokens, Boundary boundary) {}
