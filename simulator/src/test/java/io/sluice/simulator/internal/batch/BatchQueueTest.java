package io.sluice.simulator.internal.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.simulator.internal.batch.BatchQueue.LineCost;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BatchQueueTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  /** 10 s validation, 100 s processing, 10 s finalizing; lines finish evenly. */
  private static SimBatch batch(String id, int lines) {
    BatchTimeline timeline =
        new BatchTimeline(
            T0,
            Duration.ofSeconds(10),
            Duration.ofSeconds(100),
            Duration.ofSeconds(10),
            Duration.ofHours(24),
            Duration.ZERO,
            lines,
            false,
            null);
    return new SimBatch(id, List.of(), timeline, line -> null);
  }

  private static List<LineCost> costs(String model, int lines, long tokensEach) {
    return IntStream.range(0, lines).mapToObj(i -> new LineCost(model, tokensEach)).toList();
  }

  @Test
  void shouldHoldAllTokensUntilFinalizedButOnlyUnfinishedRequests() {
    BatchQueue queue = new BatchQueue();
    queue.add(batch("a", 10), costs("m", 10, 7));

    BatchQueue.Level validating = queue.level(T0.plusSeconds(5));
    BatchQueue.Level halfway = queue.level(T0.plusSeconds(60));
    BatchQueue.Level finalizing = queue.level(T0.plusSeconds(115));
    BatchQueue.Level completed = queue.level(T0.plusSeconds(120));

    assertThat(validating.tokens("m")).isEqualTo(70);
    assertThat(validating.requests("m")).isEqualTo(10);
    assertThat(halfway.tokens("m")).isEqualTo(70);
    assertThat(halfway.requests("m")).isEqualTo(5);
    assertThat(finalizing.tokens("m")).isEqualTo(70);
    assertThat(finalizing.requests("m")).isZero();
    assertThat(completed).isEqualTo(BatchQueue.Level.EMPTY);
  }

  @Test
  void shouldCountEachModelsUnfinishedLinesByTheirPlaceInTheProcessingOrder() {
    BatchQueue queue = new BatchQueue();
    List<LineCost> mixed =
        List.of(
            new LineCost("a", 1), new LineCost("a", 1), new LineCost("b", 2), new LineCost("b", 2));
    queue.add(batch("x", 4), mixed);

    BatchQueue.Level halfway = queue.level(T0.plusSeconds(60));

    assertThat(halfway.requests("a")).isZero();
    assertThat(halfway.requests("b")).isEqualTo(2);
    assertThat(halfway.totalTokens()).isEqualTo(6);
  }

  @Test
  void shouldFindTheFirstMomentTheQueueFits() {
    BatchQueue queue = new BatchQueue();
    queue.add(batch("a", 10), costs("m", 10, 1));

    Instant fits = queue.whenFits(T0, level -> level.totalRequests() <= 4);
    Instant never = queue.whenFits(T0, level -> level.totalRequests() < 0);

    assertThat(fits).isBetween(T0.plusSeconds(70), T0.plusSeconds(70).plusMillis(1));
    assertThat(never).isEqualTo(T0.plus(Duration.ofHours(24)));
    assertThat(queue.whenFits(T0, level -> true)).isEqualTo(T0);
  }

  @Test
  void shouldAdmitCreationsInASlidingWindow() {
    CreationWindow window = new CreationWindow(2, Duration.ofHours(1));

    assertThat(window.admit(T0)).isEmpty();
    assertThat(window.admit(T0.plusSeconds(600))).isEmpty();
    assertThat(window.admit(T0.plusSeconds(1200))).hasValue(Duration.ofSeconds(2400));
    assertThat(window.admit(T0.plusSeconds(3600))).isEmpty();
    assertThat(window.admit(T0.plusSeconds(3601))).hasValue(Duration.ofSeconds(599));
  }
}
