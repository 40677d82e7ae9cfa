package io.sluice.bench.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class LoadRunTest {
  private static LoadRun run(String name, long submitMillis, long processMillis) {
    return run(name, submitMillis, processMillis, processMillis * 9 / 10);
  }

  private static LoadRun run(
      String name, long submitMillis, long processMillis, long ninetyPercentMillis) {
    return LoadRun.of(
        name,
        name.startsWith("none") ? List.of() : List.of("slow", "down", "fast"),
        10_000,
        10_000,
        Duration.ofMillis(submitMillis),
        Duration.ofMillis(processMillis),
        Duration.ofMillis(ninetyPercentMillis),
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
  void theRateToNinetyPercentLeavesOutAStalledLastTenth() {
    LoadRun none = run("none", 40_000, 100_000, 90_000);
    LoadRun stalled = run("slow-down", 40_000, 400_000, 90_000);

    assertThat(stalled.ninetyPercentPerSecond()).isCloseTo(100.0, within(1e-9));
    assertThat(stalled.processingRatio(none)).isCloseTo(0.25, within(1e-9));
    assertThat(stalled.ninetyPercentRatio(none)).isCloseTo(1.0, within(1e-9));
    assertThat(LoadRun.ninetyPercentOf(10_000)).isEqualTo(9_000);
    assertThat(LoadRun.ninetyPercentOf(15)).isEqualTo(14);
  }

  @Test
  void ratiosCompareWithTheRunWithoutWebhooks() {
    LoadRun none = run("none", 40_000, 100_000);
    LoadRun hooked = run("slow-down", 50_000, 105_000);

    assertThat(hooked.intakeRatio(none)).isCloseTo(0.8, within(1e-9));
    assertThat(hooked.processingRatio(none)).isCloseTo(100.0 / 105.0, within(1e-9));
  }

  @Test
  void baselineIsTheRunsWithoutEndpointsTakenTogether() {
    LoadRun baseline =
        LoadRun.baseline(
            List.of(
                run("none", 40_000, 100_000),
                run("slow-down", 10_000, 10_000),
                run("none-again", 20_000, 50_000)));

    assertThat(baseline.name()).isEqualTo("baseline");
    assertThat(baseline.jobs()).isEqualTo(20_000);
    assertThat(baseline.intakePerSecond()).isCloseTo(20_000 / 60.0, within(1e-9));
    assertThat(baseline.processedPerSecond()).isCloseTo(20_000 / 150.0, within(1e-9));
  }

  @Test
  void adjacentBaselineIsTheNearestRunsWithoutEndpointsOnEachSide() {
    List<LoadRun> runs =
        List.of(
            run("none", 99_000, 99_000),
            run("none-1", 40_000, 100_000),
            run("slow-down", 10_000, 10_000),
            run("slow-down-2", 10_000, 10_000),
            run("none-2", 20_000, 50_000),
            run("none-3", 1_000, 1_000));

    LoadRun neighbours = LoadRun.adjacentBaseline(runs, 3);

    assertThat(neighbours.jobs()).isEqualTo(20_000);
    assertThat(neighbours.intakePerSecond()).isCloseTo(20_000 / 60.0, within(1e-9));
    assertThat(neighbours.processedPerSecond()).isCloseTo(20_000 / 150.0, within(1e-9));
    assertThat(LoadRun.adjacentBaseline(runs.subList(2, 5), 0).processedPerSecond())
        .isCloseTo(10_000 / 50.0, within(1e-9));
  }

  @Test
  void runsTakenTogetherHaveTheirJobsOverTheirSummedTimes() {
    LoadRun together =
        LoadRun.combined(
            "slow-down",
            List.of(run("slow-down", 40_000, 100_000), run("slow-down-2", 10_000, 50_000)));

    assertThat(together.name()).isEqualTo("slow-down");
    assertThat(together.endpoints()).containsExactly("slow", "down", "fast");
    assertThat(together.jobs()).isEqualTo(20_000);
    assertThat(together.intakePerSecond()).isCloseTo(20_000 / 50.0, within(1e-9));
    assertThat(together.processedPerSecond()).isCloseTo(20_000 / 150.0, within(1e-9));
  }

  @Test
  void theAdjacentPlainRunsAreNamed() {
    List<LoadRun> runs =
        List.of(
            run("none", 1_000, 1_000),
            run("fast", 1_000, 1_000),
            run("slow-down", 1_000, 1_000),
            run("none-2", 1_000, 1_000));

    assertThat(LoadRun.adjacentPlainRuns(runs, 2))
        .extracting(LoadRun::name)
        .containsExactly("none", "none-2");
    assertThat(LoadRun.adjacentPlainRuns(runs.subList(1, 4), 0))
        .extracting(LoadRun::name)
        .containsExactly("none-2");
  }

  @Test
  void baselineNeedsARunWithoutEndpoints() {
    assertThatThrownBy(() -> LoadRun.baseline(List.of(run("slow-down", 1_000, 1_000))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no run without webhook endpoints");
  }

  @Test
  void isWithinTenPercentOnlyWhenBothRatesAre() {
    LoadRun none = run("none", 40_000, 100_000);

    assertThat(run("slow", 44_000, 110_000).within(none, 0.10)).isTrue();
    assertThat(run("slow", 45_000, 100_000).within(none, 0.10)).isFalse();
    assertThat(run("slow", 40_000, 112_000).within(none, 0.10)).isFalse();
  }

  @Test
  void summaryNamesEachRunAgainstTheBaseline() {
    String summary =
        LoadSummary.of(List.of(run("none", 40_000, 100_000), run("slow-down", 50_000, 100_000)));

    assertThat(summary)
        .contains("none       no endpoints: intake 250.0 jobs/s (100%)")
        .contains("slow-down  slow+down+fast: intake 200.0 jobs/s (80%)")
        .contains("NOT within 10%")
        .doesNotContain("(100%) within")
        .contains("baseline   no endpoints: intake 250.0 jobs/s (100%)")
        .contains("down endpoint: 0 attempts")
        .contains("all runs of a kind against all runs without webhooks")
        .contains("slow-down  slow-down: intake 80%, processed 100%, to 90% 100% NOT within 10%")
        .contains("each against its neighbours: intake 80%, processed 100%");
  }
}
