package io.sluice.scaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WorkerDemandTest {
  private static final double INF = Double.POSITIVE_INFINITY;
  // gpt-4o-mini at tier 1: 500 RPM, 200,000 TPM
  private static final ModelLimit MINI = new ModelLimit("gpt-4o-mini", 500, 200_000, INF, INF);
  private static final WorkerDemand DEMAND =
      new WorkerDemand(new ScalingSettings(Duration.ofMinutes(1), 1, 50));

  @Test
  void shouldRiseWithTheBacklogAndStopAtWhatTheLimitsAllowWhileTheBacklogKeepsRising() {
    // 1,000 tokens a task → the TPM limit allows 200 tasks/min; one instance does 60/min
    List<TaskShape> mix = List.of(new TaskShape("gpt-4o-mini", 1.0, 800, 200));
    List<Integer> desired = new ArrayList<>();
    for (long backlog : new long[] {10, 60, 100, 150, 200, 1_000, 100_000}) {
      desired.add(DEMAND.desired(backlog, mix, List.of(MINI), 60).desired());
    }

    assertThat(desired).containsExactly(1, 1, 2, 3, 4, 4, 4);
    WorkerDemand.Signal signal = DEMAND.desired(100_000, mix, List.of(MINI), 60);
    assertThat(signal.cap()).isEqualTo(4);
    assertThat(signal.limitBound()).isTrue();
    assertThat(signal.limitTasksPerMinute()).isEqualTo(200.0);
  }

  @Test
  void shouldLetTheRequestLimitBindWhenTasksAreSmall() {
    List<TaskShape> small = List.of(new TaskShape("gpt-4o-mini", 1.0, 50, 50));

    WorkerDemand.Signal signal = DEMAND.desired(100_000, small, List.of(MINI), 60);

    assertThat(signal.limitTasksPerMinute()).isEqualTo(500.0);
    assertThat(signal.desired()).isEqualTo(9);
  }

  @Test
  void shouldCapByTheModelThatBindsFirstInTheRecentMix() {
    // a quarter of the tasks go to a model allowed 50 tasks/min: the whole mix runs at 200/min
    ModelLimit sonnet = new ModelLimit("claude-sonnet-4-5", 50, INF, 30_000, 8_000);
    List<TaskShape> mix =
        List.of(
            new TaskShape("gpt-4o-mini", 0.75, 100, 100),
            new TaskShape("claude-sonnet-4-5", 0.25, 400, 100));

    WorkerDemand.Signal signal = DEMAND.desired(1_000_000, mix, List.of(MINI, sonnet), 20);

    assertThat(signal.limitTasksPerMinute()).isEqualTo(200.0);
    assertThat(signal.cap()).isEqualTo(10);
  }

  @Test
  void shouldCountAnthropicInputAndOutputTokensAgainstTheirOwnLimits() {
    ModelLimit sonnet = new ModelLimit("claude-sonnet-4-5", 50, INF, 30_000, 8_000);

    assertThat(sonnet.tasksPerMinute(new TaskShape("claude-sonnet-4-5", 1, 1_000, 400)))
        .as("8,000 OTPM ÷ 400")
        .isEqualTo(20.0);
    assertThat(sonnet.tasksPerMinute(new TaskShape("claude-sonnet-4-5", 1, 1_500, 10)))
        .as("30,000 ITPM ÷ 1,500")
        .isEqualTo(20.0);
  }

  @Test
  void shouldFollowTheBacklogAloneWhileNoTaskHasRunOrTheModelHasNoLimits() {
    assertThat(DEMAND.desired(600, List.of(), List.of(MINI), 60).desired()).isEqualTo(10);
    assertThat(
            DEMAND
                .desired(600, List.of(new TaskShape("other", 1, 10, 10)), List.of(MINI), 60)
                .cap())
        .isEqualTo(50);
  }

  @Test
  void shouldStayWithinTheBoundsAndAtTheMinimumWithoutBacklog() {
    WorkerDemand bounded = new WorkerDemand(new ScalingSettings(Duration.ofMinutes(1), 2, 5));

    assertThat(bounded.desired(0, List.of(), List.of(MINI), 60).desired()).isEqualTo(2);
    assertThat(bounded.desired(1, List.of(), List.of(MINI), 60).desired()).isEqualTo(2);
    assertThat(bounded.desired(1_000_000, List.of(), List.of(MINI), 60).desired()).isEqualTo(5);
    assertThat(DEMAND.desired(0, List.of(), List.of(MINI), 60).desired()).isEqualTo(1);
  }

  @Test
  void shouldDrainOverTheTargetTime() {
    WorkerDemand slow = new WorkerDemand(new ScalingSettings(Duration.ofMinutes(10), 0, 50));

    assertThat(slow.desired(1_200, List.of(), List.of(MINI), 60).desired()).isEqualTo(2);
    assertThat(slow.desired(0, List.of(), List.of(MINI), 60).desired()).isZero();
  }

  @Test
  void shouldGiveTheFiguresOfTheOperatorsWorkedExample() {
    WorkerDemand twoMinutes = new WorkerDemand(ScalingSettings.DEFAULT);
    double instance = 8 * 60 / 3.0;
    ModelLimit large = new ModelLimit("gpt-4o-mini", 10_000, 2_000_000, INF, INF);
    ModelLimit sonnet = new ModelLimit("claude-sonnet-4-5", 50, INF, 30_000, 8_000);
    List<TaskShape> mini = List.of(new TaskShape("gpt-4o-mini", 1, 1_500, 500));
    List<TaskShape> claude = List.of(new TaskShape("claude-sonnet-4-5", 1, 1_500, 500));
    List<Integer> tier1 = new ArrayList<>();
    List<Integer> anthropic = new ArrayList<>();
    List<Integer> onLarge = new ArrayList<>();
    for (long backlog : new long[] {500, 2_000, 50_000}) {
      tier1.add(twoMinutes.desired(backlog, mini, List.of(MINI), instance).desired());
      anthropic.add(twoMinutes.desired(backlog, claude, List.of(sonnet), instance).desired());
      onLarge.add(twoMinutes.desired(backlog, mini, List.of(large), instance).desired());
    }

    assertThat(twoMinutes.desired(1, mini, List.of(MINI), instance).limitTasksPerMinute())
        .isEqualTo(100.0);
    assertThat(twoMinutes.desired(1, claude, List.of(sonnet), instance).limitTasksPerMinute())
        .isEqualTo(16.0);
    assertThat(twoMinutes.desired(1, mini, List.of(large), instance).limitTasksPerMinute())
        .isEqualTo(1_000.0);
    assertThat(tier1).containsExactly(1, 1, 1);
    assertThat(anthropic).containsExactly(1, 1, 1);
    assertThat(onLarge).containsExactly(2, 7, 7);
  }

  @Test
  void shouldRefuseNonsense() {
    assertThatThrownBy(() -> DEMAND.desired(-1, List.of(), List.of(), 60))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> DEMAND.desired(1, List.of(), List.of(), 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ScalingSettings(Duration.ofMillis(10), 1, 5))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new ScalingSettings(Duration.ofMinutes(1), 6, 5))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TaskShape("m", 0, 1, 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
