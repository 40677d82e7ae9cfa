package io.sluice.bench.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class KindRatiosTest {
  private static final List<LoadRun> RUNS =
      List.of(
          run("none", 40_000, 100_000),
          run("fast", 50_000, 125_000),
          run("slow-down", 40_000, 100_000),
          run("none-2", 20_000, 50_000),
          run("slow-down-2", 25_000, 50_000),
          run("fast-2", 20_000, 50_000),
          run("none-3", 20_000, 50_000));

  @Test
  void allRunsOfAKindTogetherAreComparedWithAllPlainRunsTogether() {
    KindRatios fast = KindRatios.of(RUNS).get(0);

    // plain: 30,000 jobs, 80 s submitting, 200 s processing; fast: 20,000 jobs, 70 s and 175 s
    assertThat(fast.kind()).isEqualTo("fast");
    assertThat(fast.runs()).containsExactly("fast", "fast-2");
    assertThat(fast.intake()).isCloseTo((20_000 / 70.0) / (30_000 / 80.0), within(1e-9));
    assertThat(fast.processing()).isCloseTo((20_000 / 175.0) / (30_000 / 200.0), within(1e-9));
    assertThat(fast.within10Percent()).isFalse();
  }

  @Test
  void eachRunIsAlsoComparedWithItsOwnPlainNeighbours() {
    KindRatios fast = KindRatios.of(RUNS).get(0);

    // fast: none and none-2 (20,000 jobs in 60 s and 150 s); fast-2: none-2 and none-3 (40 s, 100
    // s)
    assertThat(fast.adjacentIntake())
        .satisfiesExactly(
            r -> assertThat(r).isCloseTo(200.0 / (20_000 / 60.0), within(1e-9)),
            r -> assertThat(r).isCloseTo(1.0, within(1e-9)));
    assertThat(fast.adjacentProcessing())
        .satisfiesExactly(
            r -> assertThat(r).isCloseTo(80.0 / (20_000 / 150.0), within(1e-9)),
            r -> assertThat(r).isCloseTo(1.0, within(1e-9)));
  }

  @Test
  void everyKindThatRanIsReportedInTheOrderOfTheKinds() {
    assertThat(KindRatios.of(RUNS))
        .extracting(KindRatios::kind)
        .containsExactly("fast", "slow-down");
    assertThat(KindRatios.of(RUNS).get(1).runs()).containsExactly("slow-down", "slow-down-2");
    assertThat(KindRatios.of(RUNS.subList(0, 2)))
        .extracting(KindRatios::kind)
        .containsExactly("fast");
  }

  private static LoadRun run(String name, long submitMillis, long processMillis) {
    List<String> endpoints =
        name.startsWith("none") ? List.of() : RunPlan.KINDS.get(name.replaceFirst("-[0-9]+$", ""));
    return LoadRun.of(
        name,
        endpoints,
        10_000,
        10_000,
        Duration.ofMillis(submitMillis),
        Duration.ofMillis(processMillis),
        Duration.ofMillis(processMillis * 9 / 10),
        LoadRun.Deliveries.NONE,
        300);
  }
}
