package io.sluice.jobapi.webhook.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LanePlanTest {

  private static List<List<String>> plan(
      List<String> due, Map<String, Integer> running, int perTarget, int free, int perLane) {
    return LanePlan.plan(due, d -> d.substring(0, 1), running, perTarget, free, perLane);
  }

  @Test
  void shouldFitAsManySendsInALaneAsTheLeaseHoldsWithATimeoutToSpare() {
    assertThat(LanePlan.perLane(Duration.ofSeconds(15), Duration.ofSeconds(60))).isEqualTo(3);
    assertThat(LanePlan.perLane(Duration.ofSeconds(15), Duration.ofSeconds(20))).isEqualTo(1);
    assertThat(LanePlan.perLane(Duration.ofSeconds(1), Duration.ofHours(1))).isEqualTo(8);
  }

  @Test
  void shouldDealAnEndpointsBacklogIntoItsFreeConcurrencyWithAtMostPerLaneEach() {
    List<String> due = List.of("a1", "a2", "a3", "a4", "a5", "a6", "a7", "a8", "a9", "a10");

    assertThat(plan(due, Map.of(), 4, 16, 2))
        .containsExactly(
            List.of("a1", "a5"), List.of("a2", "a6"), List.of("a3", "a7"), List.of("a4", "a8"));
  }

  @Test
  void shouldSendAShortQueueInParallelRatherThanInOneLane() {
    assertThat(plan(List.of("a1", "a2"), Map.of(), 4, 16, 3))
        .containsExactly(List.of("a1"), List.of("a2"));
  }

  @Test
  void shouldGiveAnEndpointOnlyTheConcurrencyItsRunningSendsLeave() {
    assertThat(plan(List.of("a1", "a2", "a3", "b1"), Map.of("a", 3, "b", 4), 4, 16, 3))
        .containsExactly(List.of("a1", "a2", "a3"));
  }

  @Test
  void shouldServeEndpointsInDueOrderUntilTheFreeSlotsAreUsed() {
    List<String> due = List.of("b1", "a1", "b2", "a2", "c1");

    assertThat(plan(due, Map.of(), 4, 3, 3))
        .containsExactly(List.of("b1"), List.of("b2"), List.of("a1", "a2"));
  }
}
