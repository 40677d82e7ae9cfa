package io.sluice.mapreduce;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.tokens.ConservativeEstimator;
import io.sluice.tokens.TokenEstimator;
import java.text.BreakIterator;
import java.util.List;
import java.util.Locale;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

/** Invariants of {@link Chunker} over random documents of mixed scripts and layouts. */
class ChunkerPropertiesTest {
  private static final CallBudget ROOMY = CallBudget.withDefaultMargin(128_000, 50, 1_000);
  private static final List<TokenEstimator> ESTIMATORS =
      List.of(TokenEstimator.forModel("gpt-4o"), new ConservativeEstimator());

  @Provide
  Arbitrary<String> documents() {
    Arbitrary<String> fragment =
        Arbitraries.of(
            "word",
            "contract",
            "the",
            " ",
            " ",
            " ",
            "  ",
            ". ",
            ".",
            "? ",
            "\n",
            "\n\n",
            "\r\n",
            "\n \n",
            "\t",
            "e\u0301",
            "\u0915\u094D\u0937",
            "\uD83D\uDE00",
            "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67",
            "\uD83C\uDDEB\uD83C\uDDF7",
            "日本語の文書",
            "。",
            "12345",
            "xxxxxxxxxxxxxxxx");
    return fragment.list().ofMaxSize(400).map(parts -> String.join("", parts));
  }

  @Property(tries = 300)
  void shouldKeepEveryChunkWithinTheLimitAndCountItExactly(
      @ForAll("documents") String document,
      @ForAll @IntRange(min = 20, max = 120) int limit,
      @ForAll @IntRange(min = 0, max = 100) int overlapPercent,
      @ForAll @IntRange(min = 0, max = 1) int which) {
    TokenEstimator estimator = ESTIMATORS.get(which);
    long overlap = (limit - 20) * overlapPercent / 100;

    List<Chunk> chunks =
        new Chunker(estimator).split(document, new ChunkSettings(limit, overlap), ROOMY);

    for (Chunk chunk : chunks) {
      assertThat(chunk.tokens()).isLessThanOrEqualTo(limit);
      assertThat(chunk.tokens()).isEqualTo(estimator.countText(chunk.text(document)));
    }
  }

  @Property(tries = 300)
  void shouldCoverTheDocumentInOrderAndRepeatOnlyTheOverlap(
      @ForAll("documents") String document,
      @ForAll @IntRange(min = 20, max = 120) int limit,
      @ForAll @IntRange(min = 0, max = 100) int overlapPercent) {
    TokenEstimator estimator = ESTIMATORS.get(0);
    long overlap = (limit - 20) * overlapPercent / 100;

    List<Chunk> chunks =
        new Chunker(estimator).split(document, new ChunkSettings(limit, overlap), ROOMY);

    if (document.isEmpty()) {
      assertThat(chunks).isEmpty();
      return;
    }
    assertThat(chunks.get(0).start()).isZero();
    assertThat(chunks.get(chunks.size() - 1).end()).isEqualTo(document.length());
    for (int i = 1; i < chunks.size(); i++) {
      Chunk previous = chunks.get(i - 1);
      Chunk chunk = chunks.get(i);
      assertThat(chunk.index()).isEqualTo(i);
      assertThat(chunk.newTextStart()).isEqualTo(previous.end());
      assertThat(chunk.start()).isGreaterThan(previous.newTextStart());
      assertThat(estimator.countText(document.substring(chunk.start(), chunk.newTextStart())))
          .isLessThanOrEqualTo(overlap);
    }
  }

  @Property(tries = 300)
  void shouldNeverCutInsideAGraphemeCluster(
      @ForAll("documents") String document,
      @ForAll @IntRange(min = 20, max = 60) int limit,
      @ForAll @IntRange(min = 0, max = 1) int which) {
    long overlap = (limit - 20) / 2;
    List<Chunk> chunks =
        new Chunker(ESTIMATORS.get(which))
            .split(document, new ChunkSettings(limit, overlap), ROOMY);

    BreakIterator graphemes = BreakIterator.getCharacterInstance(Locale.ROOT);
    graphemes.setText(document);
    for (Chunk chunk : chunks) {
      assertThat(graphemes.isBoundary(chunk.start())).isTrue();
      assertThat(graphemes.isBoundary(chunk.end())).isTrue();
      assertThat(graphemes.isBoundary(chunk.newTextStart())).isTrue();
    }
  }

  @Property(tries = 200)
  void shouldGiveTheSameChunksEveryTime(
      @ForAll("documents") String document,
      @ForAll @IntRange(min = 20, max = 60) int limit,
      @ForAll @IntRange(min = 0, max = 1) int which) {
    ChunkSettings settings = new ChunkSettings(limit, (limit - 20) / 3);

    assertThat(new Chunker(ESTIMATORS.get(which)).split(document, settings, ROOMY))
        .isEqualTo(new Chunker(ESTIMATORS.get(which)).split(document, settings, ROOMY));
  }

  @Property(tries = 200)
  void shouldJoinBackToTheDocumentWithoutOverlap(
      @ForAll("documents") String document, @ForAll @IntRange(min = 20, max = 60) int limit) {
    List<Chunk> chunks =
        new Chunker(ESTIMATORS.get(0)).split(document, new ChunkSettings(limit, 0), ROOMY);

    assertThat(String.join("", chunks.stream().map(c -> c.text(document)).toList()))
        .isEqualTo(document);
  }
}
