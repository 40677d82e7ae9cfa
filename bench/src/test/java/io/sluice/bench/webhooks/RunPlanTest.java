package io.sluice.bench.webhooks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class RunPlanTest {
  @Test
  void eachRepeatIsAPlainRunAndOneRunOfEachKindWithAPlainRunAtTheEnd() {
    List<RunPlan.Run> plan = RunPlan.interleaved(3);

    assertThat(plan)
        .extracting(RunPlan.Run::name)
        .containsExactly(
            "none",
            "fast",
            "slow-down",
            "none-2",
            "slow-down-2",
            "fast-2",
            "none-3",
            "fast-3",
            "slow-down-3",
            "none-4");
    assertThat(plan)
        .extracting(RunPlan.Run::kind)
        .containsExactly(
            "none",
            "fast",
            "slow-down",
            "none",
            "slow-down",
            "fast",
            "none",
            "fast",
            "slow-down",
            "none");
  }

  @Test
  void theKindsCarryTheirEndpointsAndPlainRunsNone() {
    List<RunPlan.Run> plan = RunPlan.interleaved(1);

    assertThat(plan)
        .extracting(RunPlan.Run::endpoints)
        .containsExactly(List.of(), List.of("fast"), List.of("slow", "down", "fast"), List.of());
  }

  @Test
  void overTwoRepeatsEachKindRunsOnceRightAfterAPlainRunAndOnceRightBeforeOne() {
    List<RunPlan.Run> plan = RunPlan.interleaved(2);

    for (String kind : RunPlan.KINDS.keySet()) {
      List<Integer> positions =
          java.util.stream.IntStream.range(0, plan.size())
              .filter(i -> plan.get(i).kind().equals(kind))
              .boxed()
              .toList();
      assertThat(positions).hasSize(2);
      assertThat(positions.stream().map(i -> plan.get(i - 1).kind()).toList()).contains("none");
      assertThat(positions.stream().map(i -> plan.get(i + 1).kind()).toList()).contains("none");
    }
  }

  @Test
  void aRunsKindFollowsFromItsEndpoints() {
    assertThat(RunPlan.kindOf(List.of())).isEqualTo("none");
    assertThat(RunPlan.kindOf(List.of("fast"))).isEqualTo("fast");
    assertThat(RunPlan.kindOf(List.of("slow", "down", "fast"))).isEqualTo("slow-down");
    assertThat(RunPlan.kindOf(List.of("slow", "fast"))).isEqualTo("slow+fast");
  }

  @Test
  void atLeastOneRepeat() {
    assertThatThrownBy(() -> RunPlan.interleaved(0))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--repeats must be at least 1");
  }
}
