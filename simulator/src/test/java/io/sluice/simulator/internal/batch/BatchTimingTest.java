package io.sluice.simulator.internal.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.simulator.BatchSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class BatchTimingTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final BatchSettings SPREAD =
      BatchSettings.DEFAULT.withProcessingTime(Duration.ofMinutes(2), Duration.ofMinutes(20));

  private static List<Duration> draws(BatchSettings settings, int count) {
    BatchTiming timing = new BatchTiming(settings, Duration.ZERO);
    return LongStream.range(0, count)
        .mapToObj(i -> timing.next(T0, 10, false).timeline().processing())
        .toList();
  }

  @Test
  void shouldDrawTheSameProcessingTimesForTheSameSeedAndOrder() {
    assertThat(draws(SPREAD, 50)).isEqualTo(draws(SPREAD, 50));
    assertThat(draws(SPREAD.withSeed(8), 50)).isNotEqualTo(draws(SPREAD, 50));
  }

  @Test
  void shouldDrawWithinTheRangeAndFavourShortBatches() {
    List<Duration> times = draws(SPREAD, 2_000);
    Duration middle = Duration.ofMinutes(11);

    assertThat(times)
        .allSatisfy(t -> assertThat(t).isBetween(Duration.ofMinutes(2), Duration.ofMinutes(20)));
    assertThat(new HashSet<>(times)).hasSizeGreaterThan(1_900);
    // log-uniform between 2 and 20 minutes: P(t < 11 min) = ln 5.5 / ln 10 = 0.74, not 0.5
    long shortOnes = times.stream().filter(t -> t.compareTo(middle) < 0).count();
    assertThat(shortOnes).isBetween(1_400L, 1_560L);
  }

  @Test
  void shouldGiveEveryBatchTheSameTimeWithoutASpread() {
    assertThat(draws(BatchSettings.DEFAULT, 20)).containsOnly(Duration.ofSeconds(1));
  }

  @Test
  void shouldCarryTheLineSkewIntoTheTimeline() {
    BatchTimeline timeline =
        new BatchTiming(BatchSettings.BENCHMARK, Duration.ZERO).next(T0, 100, false).timeline();

    assertThat(timeline.lineSkew()).isEqualTo(3.0);
    assertThat(timeline.processing()).isBetween(Duration.ofMinutes(2), Duration.ofMinutes(20));
  }

  @Test
  void shouldFinishMostLinesEarlyWithASkewAndTheRestInATail() {
    BatchTimeline even =
        new BatchTimeline(
            T0,
            Duration.ZERO,
            Duration.ofSeconds(100),
            Duration.ZERO,
            Duration.ofHours(24),
            Duration.ZERO,
            100,
            false,
            null,
            1.0);
    BatchTimeline skewed =
        new BatchTimeline(
            T0,
            Duration.ZERO,
            Duration.ofSeconds(100),
            Duration.ZERO,
            Duration.ofHours(24),
            Duration.ZERO,
            100,
            false,
            null,
            3.0);

    assertThat(even.linesDoneAt(T0.plusSeconds(50))).isEqualTo(50);
    assertThat(skewed.linesDoneAt(T0.plusSeconds(50))).isEqualTo(87);
    assertThat(skewed.linesDoneAt(T0.plusSeconds(90))).isEqualTo(99);
    assertThat(skewed.linesDoneAt(T0.plusSeconds(100))).isEqualTo(100);
  }
}
