package io.sluice.bench.intake;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StepResultTest {
  private static final CpuFigures CPU = new CpuFigures(12, 1.5, 14, 6, 0.9);

  private static StepResult step(int rate, int seconds, int accepted, int rateLimited) {
    Schedule schedule = new Schedule(0, rate, Duration.ofSeconds(seconds));
    StepRecorder recorder = new StepRecorder();
    for (int i = 0; i < accepted; i++) {
      recorder.sent(i, i);
      recorder.responded(202, i, i, i + 1_000_000);
    }
    for (int i = 0; i < rateLimited; i++) {
      recorder.responded(429, 0, 0, 1_000_000);
    }
    return StepResult.of("step-" + rate, schedule, recorder, CPU, Map.of("queued", 3L));
  }

  @Test
  void reportsTheAcceptedRateOverTheStepsDuration() {
    StepResult result = step(100, 10, 950, 50);

    assertThat(result.scheduled()).isEqualTo(1_000);
    assertThat(result.accepted()).isEqualTo(950);
    assertThat(result.acceptedPerSecond()).isEqualTo(95.0);
    assertThat(result.notAccepted()).isEqualTo(50);
    assertThat(result.outcomes()).containsEntry("rate_limited", 50L).containsEntry("timed_out", 0L);
    assertThat(result.jobsByStatus()).containsEntry("queued", 3L);
  }

  @Test
  void keepsSteppingUpAfterAStepThatAcceptedNinetyPercent() {
    assertThat(StopRule.DEFAULT.keptUp(step(100, 10, 900, 100))).isTrue();
  }

  @Test
  void stopsAfterAStepThatAcceptedLessThanNinetyPercent() {
    assertThat(StopRule.DEFAULT.keptUp(step(100, 10, 899, 101))).isFalse();
  }

  @Test
  void countsRequestsThatGotNoAnswerAgainstTheStep() {
    Schedule schedule = new Schedule(0, 10, Duration.ofSeconds(1));
    StepRecorder recorder = new StepRecorder();
    for (int i = 0; i < 10; i++) {
      recorder.failed(Outcome.TIMED_OUT);
    }

    StepResult result = StepResult.of("step-10", schedule, recorder, CPU, Map.of());

    assertThat(StopRule.DEFAULT.keptUp(result)).isFalse();
  }

  @Test
  void givesTheCoresEachSideKeptBusy() {
    assertThat(CPU.generatorCores()).isEqualTo(0.125);
    assertThat(CPU.platformSeconds()).isEqualTo(20.0);
    assertThat(CPU.platformCores()).isEqualTo(20.0 / 12);
  }
}
