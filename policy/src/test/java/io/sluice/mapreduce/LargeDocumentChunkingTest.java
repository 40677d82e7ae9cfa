package io.sluice.mapreduce;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.tokens.TokenEstimator;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * An 8 MB document (about 2 million o200k tokens) through the chunker: the size the end-to-end
 * map-reduce test uses. It prints the time taken and asserts no timing (the machine is shared).
 */
class LargeDocumentChunkingTest {
  private static final TokenEstimator GPT_4O_MINI = TokenEstimator.forModel("gpt-4o-mini");

  @Test
  void shouldChunkAnEightMegabyteDocumentWithinItsBudget() {
    String document = Documents.dense(42, 8_000_000);
    ChunkSettings settings = new ChunkSettings(8_000, 200);
    CallBudget mapCall = CallBudget.withDefaultMargin(128_000, 40, 500);

    long began = System.nanoTime();
    List<Chunk> chunks = new Chunker(GPT_4O_MINI).split(document, settings, mapCall);
    long millis = (System.nanoTime() - began) / 1_000_000;

    long tokens = chunks.stream().mapToLong(Chunk::tokens).sum();
    System.out.printf(
        "chunked %,d chars (%,d tokens in chunks) into %,d chunks in %,d ms%n",
        document.length(), tokens, chunks.size(), millis);
    assertThat(document.length()).isGreaterThanOrEqualTo(8_000_000);
    assertThat(tokens).isGreaterThan(2_000_000);
    assertThat(chunks).allSatisfy(c -> assertThat(c.tokens()).isLessThanOrEqualTo(8_000));
    assertThat(chunks.get(chunks.size() - 1).end()).isEqualTo(document.length());
  }
}
