package io.sluice.mapreduce;

import io.sluice.mapreduce.internal.Boundary;
import io.sluice.mapreduce.internal.Piece;
import io.sluice.mapreduce.internal.Segmenter;
import io.sluice.tokens.TokenEstimator;
import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Splits a document into chunks of at most {@code chunk_tokens} tokens by the model's {@link
 * TokenEstimator}, the one estimator the rest of Sluice reserves by.
 *
 * <p>The document is first cut into pieces ({@link Segmenter}) of at most {@code chunk_tokens −
 * overlap_tokens} tokens, so that any piece fits beside an overlap: whole paragraphs, and only
 * where a paragraph is too large its sentences, then its words, then runs of grapheme clusters.
 * Pieces are packed in order, greedily; a chunk that cannot take the next piece ends at the
 * strongest boundary (paragraph, then sentence, then word) that leaves it at least half full. Its
 * exact token count is then measured; if that is over the limit (a tokenizer may count a
 * concatenation above its parts) the last piece goes to the next chunk. Each later chunk begins
 * with up to {@code overlap_tokens} tokens of the previous chunk's end, cut at a word start (a
 * grapheme cluster boundary inside a word longer than the overlap). The same document and settings
 * always give the same chunks. Thread-safe.
 */
public final class Chunker {
  private final TokenEstimator estimator;

  public Chunker(TokenEstimator estimator) {
    this.estimator = Objects.requireNonNull(estimator, "estimator");
  }

  /**
   * The chunks of a document for one map call's budget.
   *
   * @param document the whole document; empty gives no chunks
   * @param settings chunk size and overlap
   * @param mapCall what one map call leaves for the chunk
   * @throws MapReduceRefusal naming {@code chunk_tokens} when chunks of that size do not fit the
   *     map call, or one character alone is larger than {@code chunk_tokens − overlap_tokens}
   */
  public List<Chunk> split(String document, ChunkSettings settings, CallBudget mapCall) {
    settings.requireFits(mapCall);
    if (document.isEmpty()) {
      return List.of();
    }
    long pieceLimit = settings.chunkTokens() - settings.overlapTokens();
    List<Piece> pieces = Segmenter.pieces(document, estimator, pieceLimit);
    return new Packing(document, pieces, settings).run();
  }

  /** One run of packing: mutable, confined to one call. */
  private final class Packing {
    private final String document;
    private final List<Piece> pieces;
    private final long limit;
    private final long overlapLimit;
    private final BreakIterator graphemes = BreakIterator.getCharacterInstance(Locale.ROOT);
    private final List<Chunk> chunks = new ArrayList<>();
    private long measuredTokens;

    Packing(String document, List<Piece> pieces, ChunkSettings settings) {
      this.document = document;
      this.pieces = pieces;
      this.limit = settings.chunkTokens();
      this.overlapLimit = settings.overlapTokens();
      this.graphemes.setText(document);
    }

    List<Chunk> run() {
      int next = 0;
      int start = pieces.get(0).start();
      while (next < pieces.size()) {
        int newStart = pieces.get(next).start();
        long overlap = start < newStart ? count(start, newStart) : 0;
        int end = measured(start, next, fill(next, overlap));
        if (end == next) {
          if (start == newStart) {
            throw new IllegalStateException("piece at " + newStart + " is larger than a chunk");
          }
          start = newStart; // the piece does not fit beside the overlap: this chunk goes without
          continue;
        }
        int stop = pieces.get(end - 1).end();
        chunks.add(new Chunk(chunks.size(), start, stop, measuredTokens, newStart));
        next = end;
        start = next < pieces.size() ? overlapStart(start, newStart, stop) : stop;
      }
      return List.copyOf(chunks);
    }

    /** The piece index after the last piece that fits beside the overlap, by their counts. */
    private int fill(int next, long overlap) {
      long total = overlap;
      int end = next;
      while (end < pieces.size() && total + pieces.get(end).tokens() <= limit) {
        total += pieces.get(end).tokens();
        end++;
      }
      return end == pieces.size() ? end : strongestBreak(next, end, overlap);
    }

    /** Among the ends that leave the chunk at least half full, the latest of the strongest. */
    private int strongestBreak(int next, int end, long overlap) {
      int best = end;
      Boundary bestBoundary = pieces.get(end).boundary();
      long total = overlap;
      for (int i = next; i < end - 1; i++) {
        total += pieces.get(i).tokens();
        Boundary boundary = pieces.get(i + 1).boundary();
        if (2 * total >= limit && boundary.strongerThan(bestBoundary)) {
          best = i + 1;
          bestBoundary = boundary;
        }
      }
      return best == end ? end : latestOf(bestBoundary, best, end);
    }

    private int latestOf(Boundary boundary, int from, int end) {
      int latest = from;
      for (int i = from + 1; i < end; i++) {
        if (pieces.get(i).boundary() == boundary) {
          latest = i;
        }
      }
      return latest;
    }

    /**
     * The end after dropping last pieces until the exact count of the text fits; that count in
     * {@link #measuredTokens}.
     */
    private int measured(int start, int next, int end) {
      for (int fitting = end; fitting > next; fitting--) {
        measuredTokens = count(start, pieces.get(fitting - 1).end());
        if (measuredTokens <= limit) {
          return fitting;
        }
      }
      return next;
    }

    /**
     * Where the next chunk begins: the earliest word start after {@code newStart} whose run to
     * {@code stop} counts at most the overlap; {@code stop} when there is none.
     */
    private int overlapStart(int start, int newStart, int stop) {
      if (overlapLimit == 0) {
        return stop;
      }
      int floor = Math.max(start, newStart) + 1;
      int best = stop;
      long total = 0;
      int to = stop;
      for (int at = wordStartBefore(to, floor); at >= floor; at = wordStartBefore(to, floor)) {
        total += count(at, to);
        if (total > overlapLimit) {
          break;
        }
        best = at;
        to = at;
      }
      while (best < stop && count(best, stop) > overlapLimit) {
        best = wordStartAfter(best, stop);
      }
      return best == stop ? graphemeOverlap(floor, stop) : best;
    }

    private int wordStartBefore(int to, int floor) {
      for (int i = to - 1; i >= floor; i--) {
        if (isWordStart(i)) {
          return i;
        }
      }
      return -1;
    }

    private int wordStartAfter(int from, int stop) {
      for (int i = from + 1; i < stop; i++) {
        if (isWordStart(i)) {
          return i;
        }
      }
      return stop;
    }

    /** The blank before a word, where BPE tokenizers begin the word's first token. */
    private boolean isWordStart(int i) {
      char c = document.charAt(i);
      return (c == ' ' || c == '\t' || c == '\n')
          && i + 1 < document.length()
          && !Character.isWhitespace(document.charAt(i + 1))
          && graphemes.isBoundary(i);
    }

    /** No word start fits: the shortest-start run of whole grapheme clusters that does. */
    private int graphemeOverlap(int floor, int stop) {
      int best = stop;
      int low = (int) Math.max(floor, stop - overlapLimit * Segmenter.MAX_CHARS_PER_TOKEN);
      int high = stop;
      while (low < high) {
        int mid = (low + high) >>> 1;
        int at = graphemeBoundaryAtOrAfter(mid, stop);
        if (at < stop && count(at, stop) <= overlapLimit) {
          best = Math.min(best, at);
          high = mid;
        } else {
          low = mid + 1;
        }
      }
      return best;
    }

    private int graphemeBoundaryAtOrAfter(int offset, int stop) {
      for (int i = offset; i < stop; i++) {
        if (graphemes.isBoundary(i)) {
          return i;
        }
      }
      return stop;
    }

    private long count(int from, int to) {
      return estimator.countText(document.substring(from, to));
    }
  }
}
