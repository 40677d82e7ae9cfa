package io.sluice.launcher.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class DemoSummaryTest {
  @Test
  void shouldTakeNearestRankPercentiles() {
    long[] oneToHundred = LongStream.rangeClosed(1, 100).toArray();

    assertThat(DemoSummary.percentile(oneToHundred, 50)).isEqualTo(50);
    assertThat(DemoSummary.percentile(oneToHundred, 99)).isEqualTo(99);
    assertThat(DemoSummary.percentile(new long[] {7}, 99)).isEqualTo(7);
    assertThat(DemoSummary.percentile(new long[0], 50)).isZero();
  }

  @Test
  void shouldCountEveryJobThatDidNotSucceedAsFailed() {
    DemoSummary summary =
        DemoSummary.of(
            10,
            8,
            1,
            Duration.ofSeconds(4),
            List.of(Duration.ofMillis(100), Duration.ofMillis(300)));

    assertThat(summary.failed()).isEqualTo(2);
    assertThat(summary.allSucceeded()).isFalse();
    assertThat(summary.jobsPerSecond()).isEqualTo(2.0);
    assertThat(summary.toJsonFields())
        .containsEntry("jobs_submitted", 10)
        .containsEntry("jobs_succeeded", 8)
        .containsEntry("jobs_failed", 2)
        .containsEntry("latency_p50_ms", 100L)
        .containsEntry("latency_p99_ms", 300L);
  }

  @Test
  void shouldSucceedOnlyWhenEveryJobSucceeded() {
    assertThat(DemoSummary.of(3, 3, 0, Duration.ofSeconds(1), List.of()).allSucceeded()).isTrue();
    assertThat(DemoSummary.of(0, 0, 0, Duration.ofSeconds(1), List.of()).allSucceeded()).isFalse();
  }
}
