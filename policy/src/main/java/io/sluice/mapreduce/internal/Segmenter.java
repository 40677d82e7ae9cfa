package io.sluice.mapreduce.internal;

import io.sluice.mapreduce.MapReduceRefusal;
import io.sluice.tokens.TokenEstimator;
import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Cuts a document into {@link Piece}s no larger than the chunk limit: paragraphs (split at blank
 * lines), and only where one is too large its sentences ({@link BreakIterator#getSentenceInstance},
 * which also breaks at line ends), then its words (at whitespace), then runs of grapheme clusters.
 * Every cut is a grapheme cluster boundary of {@link BreakIterator#getCharacterInstance}, so no
 * surrogate pair, combining sequence or emoji sequence is ever split. A cut between words or
 * sentences goes before the one space that precedes the next word, where BPE tokenizers attach it
 * ({@code " word"}), so that the pieces' counts add up close to the count of their concatenation.
 */
public final class Segmenter {
  /**
   * A text longer than {@code limit × this} characters is split without being counted whole (no
   * tokenizer packs text that densely outside of pathological runs); splitting a text that would
   * have fitted only makes finer pieces, which packing puts together again.
   */
  public static final long MAX_CHARS_PER_TOKEN = 16;

  private final String document;
  private final TokenEstimator estimator;
  private final long limit;
  private final BreakIterator graphemes;
  private final List<Piece> pieces = new ArrayList<>();

  private Segmenter(String document, TokenEstimator estimator, long limit) {
    this.document = document;
    this.estimator = estimator;
    this.limit = limit;
    this.graphemes = BreakIterator.getCharacterInstance(Locale.ROOT);
    this.graphemes.setText(document);
  }

  /**
   * The pieces of a document, in order, covering it exactly.
   *
   * @throws MapReduceRefusal naming {@code chunk_tokens} when one grapheme cluster alone counts
   *     more than {@code limit}
   */
  public static List<Piece> pieces(String document, TokenEstimator estimator, long limit) {
    Segmenter segmenter = new Segmenter(document, estimator, limit);
    segmenter.paragraphs();
    return List.copyOf(segmenter.pieces);
  }

  /** Whether a cut at this offset would keep every grapheme cluster whole. */
  public boolean isGraphemeBoundary(int offset) {
    return offset == 0 || offset == document.length() || graphemes.isBoundary(offset);
  }

  /** Tokens of a range of the document. */
  public long count(int start, int end) {
    return estimator.countText(document.substring(start, end));
  }

  private void paragraphs() {
    int start = 0;
    for (int i = 0; i < document.length(); i++) {
      if (document.charAt(i) == '\n') {
        int after = blankLineEnd(i);
        if (after > 0 && after < document.length()) {
          split(start, after, Boundary.PARAGRAPH, Boundary.PARAGRAPH);
          start = after;
          i = after - 1;
        }
      }
    }
    if (start < document.length()) {
      split(start, document.length(), Boundary.PARAGRAPH, Boundary.PARAGRAPH);
    }
  }

  /** After a line feed: the offset after the last line feed of a blank-line run, or -1. */
  private int blankLineEnd(int newline) {
    int lastNewline = -1;
    for (int j = newline + 1; j < document.length(); j++) {
      char c = document.charAt(j);
      if (c == '\n') {
        lastNewline = j;
      } else if (c != ' ' && c != '\t' && c != '\r') {
        break;
      }
    }
    return lastNewline < 0 ? -1 : lastNewline + 1;
  }

  /** Adds {@code [start, end)}, a whole {@code unit}, as one piece or as pieces of a finer unit. */
  private void split(int start, int end, Boundary opening, Boundary unit) {
    if (end - start <= limit * MAX_CHARS_PER_TOKEN) {
      long tokens = count(start, end);
      if (tokens <= limit) {
        pieces.add(new Piece(start, end, tokens, opening));
        return;
      }
    }
    switch (unit) {
      case PARAGRAPH -> splitAt(start, end, opening, Boundary.SENTENCE, sentenceCuts(start, end));
      case SENTENCE -> splitAt(start, end, opening, Boundary.WORD, wordCuts(start, end));
      default -> graphemeRuns(start, end, opening);
    }
  }

  private void splitAt(int start, int end, Boundary opening, Boundary unit, List<Integer> cuts) {
    int from = start;
    Boundary boundary = opening;
    for (int cut : cuts) {
      split(from, cut, boundary, unit);
      from = cut;
      boundary = unit;
    }
    split(from, end, boundary, unit);
  }

  private List<Integer> sentenceCuts(int start, int end) {
    BreakIterator sentences = BreakIterator.getSentenceInstance(Locale.ROOT);
    sentences.setText(document.substring(start, end));
    List<Integer> cuts = new ArrayList<>();
    int last = start;
    for (int b = sentences.next(); b != BreakIterator.DONE; b = sentences.next()) {
      int cut = beforeOneSpace(start + b, last);
      if (cut > last && cut < end && isGraphemeBoundary(cut)) {
        cuts.add(cut);
        last = cut;
      }
    }
    return cuts;
  }

  private List<Integer> wordCuts(int start, int end) {
    List<Integer> cuts = new ArrayList<>();
    for (int i = start + 1; i < end - 1; i++) {
      if (isBlank(document.charAt(i))
          && !Character.isWhitespace(document.charAt(i + 1))
          && isGraphemeBoundary(i)) {
        cuts.add(i);
      }
    }
    return cuts;
  }

  /** A cut just after a blank moves before it, where the next word's tokens begin. */
  private int beforeOneSpace(int cut, int floor) {
    if (cut - 1 > floor && cut < document.length() && isBlank(document.charAt(cut - 1))) {
      return cut - 1;
    }
    return cut;
  }

  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t';
  }

  /** A word larger than the limit: the longest runs of whole grapheme clusters that fit. */
  private void graphemeRuns(int start, int end, Boundary opening) {
    int from = start;
    Boundary boundary = opening;
    while (from < end) {
      int to = longestFit(from, end);
      pieces.add(new Piece(from, to, count(from, to), boundary));
      from = to;
      boundary = Boundary.GRAPHEME;
    }
  }

  private int longestFit(int from, int end) {
    int[] cuts = graphemeCuts(from, (int) Math.min(end, from + limit * MAX_CHARS_PER_TOKEN));
    if (count(from, cuts[0]) > limit) {
      throw new MapReduceRefusal(
          "chunk_tokens",
          "the character at offset "
              + from
              + " alone counts "
              + count(from, cuts[0])
              + " tokens, more than a chunk holds beside its overlap ("
              + limit
              + ")");
    }
    int good = 0;
    int bad = cuts.length;
    while (bad - good > 1) {
      int mid = (good + bad) >>> 1;
      if (count(from, cuts[mid]) <= limit) {
        good = mid;
      } else {
        bad = mid;
      }
    }
    return cuts[good];
  }

  /** The grapheme cluster boundaries in {@code (from, to]}, and at least the first one. */
  private int[] graphemeCuts(int from, int to) {
    List<Integer> cuts = new ArrayList<>();
    for (int b = graphemes.following(from); b != BreakIterator.DONE; b = graphemes.next()) {
      if (b > to && !cuts.isEmpty()) {
        break;
      }
      cuts.add(b);
    }
    return cuts.stream().mapToInt(Integer::intValue).toArray();
  }
}
