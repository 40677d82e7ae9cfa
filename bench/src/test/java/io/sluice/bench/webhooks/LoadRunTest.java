package io.sluice.bench.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoadRunTest {
  private static LoadRun run(String name, long submitMillis, long processMillis) {
    return LoadRun.of(
        name,
        name.equals("none") ? List.of() : List.of("slow", "down", "fast"),
        10_000,
        10_000,
        Duration.ofMillis(submitMillis),
        Duration.ofMillis(processMillis),
        LoadRun.Deliveries.NONE,
        300);
  }

  @Test
  void ratesAreJobsOverTheMeasuredSeconds() {
    LoadRun run = run("none", 40_000, 100_000);

    assertThat(run.intakePerSecond()).isCloseTo(250.0, within(1e-9));
    assertThat(run.processedPerSecond()).isCloseTo(100.0, within(1e-9));
    assertThat(run.submitSeconds()).isCloseTo(40.0, within(1e-9));
  }

  @Test
  void ratiosCompareWithTheRunWithoutWebhooks() {
    LoadRun none = run("none", 40_000, 100_000);
    LoadRun hooked = run("slow-down", 50_000, 105_000);

    assertThat(hooked.intakeRatio(none)).isCloseTo(0.8, within(1e-9));
    assertThat(hooked.processingRatio(none)).isCloseTo(100.0 / 105.0, within(1e-9));
  }

  @Test
  void isWithinTenPercentOnlyWhenBothRatesAre() {
    LoadRun none = run("none", 40_000, 100_000);

    assertThat(run("slow", 44_000, 110_000).within(none, 0.10)).isTrue();
    assertThat(run("slow", 45_000, 100_000).within(none, 0.10)).isFalse();
    assertThat(run("slow", 40_000, 112_000).within(none, 0.10)).isFalse();
  }

  @Test
  void summaryNamesEachRunAgainstTheFirst() {
    String summary =
        LoadSummary.of(List.of(run("none", 40_000, 100_000), run("slow-down", 50_000, 100_000)));

    assertThat(summary)
        .contains("none       no endpoints: intake 250.0 jobs/s (100%)")
        .contains("slow-down  slow+down+fast: intake 200.0 jobs/s (80%)")
        .contains("NOT within 10%")
        .contains("down endpoint: 0 attempts");
  }
}
