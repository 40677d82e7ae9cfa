package io.sluice.mapreduce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.tokens.ConservativeEstimator;
import io.sluice.tokens.TokenEstimator;
import java.text.BreakIterator;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class ChunkerTest {
  private static final TokenEstimator GPT_4O = TokenEstimator.forModel("gpt-4o");
  private static final CallBudget ROOMY = CallBudget.withDefaultMargin(128_000, 50, 1_000);

  private final Chunker chunker = new Chunker(GPT_4O);

  private List<Chunk> split(String document, long chunkTokens, long overlapTokens) {
    return chunker.split(document, new ChunkSettings(chunkTokens, overlapTokens), ROOMY);
  }

  @Test
  void shouldGiveNoChunksForAnEmptyDocument() {
    assertThat(split("", 100, 0)).isEmpty();
  }

  @Test
  void shouldKeepADocumentThatFitsInOneChunkWithItsExactCount() {
    String document = Documents.prose(1, 2, 3);

    List<Chunk> chunks = split(document, 10_000, 100);

    assertThat(chunks)
        .containsExactly(new Chunk(0, 0, document.length(), GPT_4O.countText(document), 0));
  }

  @Test
  void shouldCoverTheDocumentInOrderWithoutGapsOrRepeatsWhenThereIsNoOverlap() {
    String document = Documents.prose(2, 40, 5);

    List<Chunk> chunks = split(document, 120, 0);

    assertThat(chunks).hasSizeGreaterThan(5);
    StringBuilder joined = new StringBuilder();
    for (int i = 0; i < chunks.size(); i++) {
      Chunk chunk = chunks.get(i);
      assertThat(chunk.index()).isEqualTo(i);
      assertThat(chunk.start()).isEqualTo(i == 0 ? 0 : chunks.get(i - 1).end());
      assertThat(chunk.overlaps()).isFalse();
      joined.append(chunk.text(document));
    }
    assertThat(joined.toString()).isEqualTo(document);
  }

  @Test
  void shouldEndEveryChunkAtAParagraphBoundaryWhenParagraphsFit() {
    String document = Documents.prose(3, 30, 2);

    List<Chunk> chunks = split(document, 150, 0);

    assertThat(chunks).hasSizeGreaterThan(3);
    for (Chunk chunk : chunks.subList(0, chunks.size() - 1)) {
      assertThat(chunk.text(document)).endsWith(".\n\n");
    }
  }

  @Test
  void shouldSplitAParagraphTooLargeForOneChunkAtSentenceBoundaries() {
    String document = Documents.prose(4, 1, 60);

    List<Chunk> chunks = split(document, 100, 0);

    assertThat(chunks).hasSizeGreaterThan(3);
    for (Chunk chunk : chunks.subList(0, chunks.size() - 1)) {
      assertThat(chunk.text(document)).endsWith(".");
      assertThat(document.substring(chunk.end())).startsWith(" ");
    }
  }

  @Test
  void shouldPreferAParagraphBoundaryWhenItLeavesTheChunkAtLeastHalfFull() {
    String first = Documents.prose(5, 1, 4);
    String document = first + "\n\n" + Documents.prose(6, 1, 40);
    long limit = GPT_4O.countText(first) * 3 / 2;

    List<Chunk> chunks = split(document, limit, 0);

    assertThat(chunks.get(0).text(document)).isEqualTo(first + "\n\n");
  }

  @Test
  void shouldSplitASentenceTooLargeForOneChunkBeforeTheSpaceOfAWord() {
    String document = Documents.words(7, 2_000);

    List<Chunk> chunks = split(document, 100, 0);

    assertThat(chunks).hasSizeGreaterThan(10);
    for (Chunk chunk : chunks.subList(0, chunks.size() - 1)) {
      assertThat(document.charAt(chunk.end())).isEqualTo(' ');
      assertThat(document.charAt(chunk.end() - 1)).isNotEqualTo(' ');
      assertThat(chunk.tokens()).isBetween(90L, 100L);
    }
  }

  @Test
  void shouldSplitAWordTooLargeForOneChunkOnlyAtGraphemeBoundaries() {
    String cluster = "e\u0301"; // e + combining acute: one grapheme, two code points
    String family = "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67"; // ZWJ sequence
    String flag = "\uD83C\uDDEB\uD83C\uDDF7"; // regional indicator pair
    String document = (cluster + family + "x" + flag + "\uD83D\uDE00").repeat(200);
    Chunker conservative = new Chunker(new ConservativeEstimator());

    List<Chunk> chunks = conservative.split(document, new ChunkSettings(17, 5), ROOMY);

    assertThat(chunks).hasSizeGreaterThan(20);
    BreakIterator graphemes = BreakIterator.getCharacterInstance(Locale.ROOT);
    graphemes.setText(document);
    for (Chunk chunk : chunks) {
      assertThat(graphemes.isBoundary(chunk.start())).as("start of %s", chunk).isTrue();
      assertThat(graphemes.isBoundary(chunk.end())).as("end of %s", chunk).isTrue();
      assertThat(chunk.tokens()).isLessThanOrEqualTo(17);
    }
    assertThat(chunks.get(chunks.size() - 1).end()).isEqualTo(document.length());
  }

  @Test
  void shouldRepeatAtMostOverlapTokensOfThePreviousChunkFromAWordStart() {
    String document = Documents.prose(8, 20, 6);

    List<Chunk> chunks = split(document, 200, 40);

    assertThat(chunks).hasSizeGreaterThan(5);
    for (int i = 1; i < chunks.size(); i++) {
      Chunk previous = chunks.get(i - 1);
      Chunk chunk = chunks.get(i);
      assertThat(chunk.newTextStart()).isEqualTo(previous.end());
      assertThat(chunk.overlaps()).isTrue();
      assertThat(chunk.start()).isGreaterThan(previous.newTextStart());
      String repeated = document.substring(chunk.start(), previous.end());
      assertThat(GPT_4O.countText(repeated)).isBetween(25L, 40L);
      assertThat(Character.isWhitespace(document.charAt(chunk.start()))).isTrue();
      assertThat(chunk.tokens()).isLessThanOrEqualTo(200);
    }
  }

  @Test
  void shouldOverlapInsideAWordLongerThanTheOverlap() {
    String document = "x".repeat(5_000);

    List<Chunk> chunks = split(document, 100, 10);

    for (int i = 1; i < chunks.size(); i++) {
      String repeated = document.substring(chunks.get(i).start(), chunks.get(i - 1).end());
      assertThat(GPT_4O.countText(repeated)).isBetween(1L, 10L);
    }
  }

  @Test
  void shouldGiveTheSameChunksForTheSameDocumentAndSettings() {
    String document = Documents.prose(9, 50, 4) + "\n" + Documents.words(10, 500);

    List<Chunk> first = split(document, 90, 20);
    List<Chunk> again =
        new Chunker(TokenEstimator.forModel("gpt-4o"))
            .split(document, new ChunkSettings(90, 20), ROOMY);

    assertThat(again).isEqualTo(first);
  }

  @Test
  void shouldCountChunksWithTheEstimatorItWasGiven() {
    String document = Documents.prose(11, 10, 5);
    Chunker conservative = new Chunker(new ConservativeEstimator());

    List<Chunk> chunks = conservative.split(document, new ChunkSettings(80, 0), ROOMY);

    for (Chunk chunk : chunks) {
      assertThat(chunk.tokens())
          .isEqualTo(new ConservativeEstimator().countText(chunk.text(document)))
          .isLessThanOrEqualTo(80);
    }
  }

  @Test
  void shouldRefuseChunkTokensThatDoNotFitTheMapCall() {
    CallBudget small = new CallBudget(8_000, 100, 1_000, 200);

    assertThatThrownBy(() -> chunker.split("text", new ChunkSettings(7_000, 0), small))
        .isInstanceOfSatisfying(
            MapReduceRefusal.class, e -> assertThat(e.field()).isEqualTo("chunk_tokens"))
        .hasMessage(
            "chunk_tokens 7000 does not fit one map call: at most 6700"
                + " (8000 context − 100 instruction − 1000 max_tokens − 200 margin)");
  }

  @Test
  void shouldRefuseAnOverlapThatIsNotSmallerThanTheChunk() {
    assertThatThrownBy(() -> new ChunkSettings(100, 100))
        .isInstanceOfSatisfying(
            MapReduceRefusal.class, e -> assertThat(e.field()).isEqualTo("overlap_tokens"));
    assertThatThrownBy(() -> new ChunkSettings(0, 0))
        .isInstanceOfSatisfying(
            MapReduceRefusal.class, e -> assertThat(e.field()).isEqualTo("chunk_tokens"));
  }

  @Test
  void shouldRefuseWhenOneCharacterAloneCountsMoreThanTheChunk() {
    Chunker conservative = new Chunker(new ConservativeEstimator());

    assertThatThrownBy(() -> conservative.split("ab e\u0301 cd", new ChunkSettings(1, 0), ROOMY))
        .isInstanceOfSatisfying(
            MapReduceRefusal.class, e -> assertThat(e.field()).isEqualTo("chunk_tokens"))
        .hasMessageContaining("offset 3");
  }
}
