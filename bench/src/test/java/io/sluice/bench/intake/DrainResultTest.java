package io.sluice.bench.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DrainResultTest {

  @Test
  void shouldGiveEndToEndThroughputAndPlatformCpuPerJob() {
    CpuFigures cpu = new CpuFigures(100, 3, 150, 30, 0.95);

    DrainResult drain =
        DrainResult.of("step-300", 9_000, cpu, Map.of("succeeded", 8_990L, "failed", 10L));

    assertThat(drain.drained()).isTrue();
    assertThat(drain.jobsLeft()).isZero();
    assertThat(drain.jobsPerSecond()).isCloseTo(90, within(1e-9));
    assertThat(drain.platformCpuMillisPerJob()).isCloseTo(20, within(1e-9));
  }

  @Test
  void shouldSayWhenJobsWereStillWaitingAtTheLimit() {
    DrainResult drain =
        DrainResult.of(
            "step-300",
            9_000,
            new CpuFigures(600, 1, 1, 1, 1),
            Map.of("succeeded", 8_000L, "queued", 900L, "running", 100L));

    assertThat(drain.drained()).isFalse();
    assertThat(drain.jobsLeft()).isEqualTo(1_000);
  }
}
