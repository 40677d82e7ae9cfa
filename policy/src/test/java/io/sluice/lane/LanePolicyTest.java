package io.sluice.lane;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.schemas.job.Mode;
import io.sluice.schemas.job.Priority;
import io.sluice.schemas.task.Lane;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class LanePolicyTest {
  private static final Instant NOW = Instant.parse("2026-12-05T12:00:00Z");
  private final LanePolicy policy = new LanePolicy();

  @Test
  void realtimeJobsGoToTheLaneOfTheirPriorityWhateverTheirDeadline() {
    for (Priority priority : Priority.values()) {
      Lane lane = policy.laneFor(priority, Mode.REALTIME, null, NOW);
      assertThat(lane.isRealtime()).isTrue();
      assertThat(lane.topicSegment()).isEqualTo(priority.name().toLowerCase(Locale.ROOT));
      assertThat(policy.laneFor(priority, Mode.REALTIME, NOW.plus(Duration.ofDays(9)), NOW))
          .isEqualTo(lane);
    }
  }

  @Test
  void deferredJobsGoToTheDeferredLaneWhateverTheirPriorityAndDeadline() {
    for (Priority priority : Priority.values()) {
      assertThat(policy.laneFor(priority, Mode.DEFERRED, null, NOW)).isEqualTo(Lane.DEFERRED);
      assertThat(policy.laneFor(priority, Mode.DEFERRED, NOW.plusSeconds(60), NOW))
          .isEqualTo(Lane.DEFERRED);
    }
  }

  @Test
  void autoJobsWithoutDeadlineWaitForABatch() {
    assertThat(policy.laneFor(Priority.STANDARD, Mode.AUTO, null, NOW)).isEqualTo(Lane.DEFERRED);
  }

  @Test
  void autoJobsGoToABatchOnlyWhenTheDeadlineLeavesTheWindowPlusTheMargin() {
    Instant justEnough = NOW.plus(Duration.ofHours(25));
    assertThat(policy.laneFor(Priority.BULK, Mode.AUTO, justEnough, NOW)).isEqualTo(Lane.DEFERRED);
    assertThat(policy.laneFor(Priority.BULK, Mode.AUTO, justEnough.minusSeconds(1), NOW))
        .isEqualTo(Lane.BULK);
    assertThat(policy.laneFor(Priority.INTERACTIVE, Mode.AUTO, NOW.plusSeconds(600), NOW))
        .isEqualTo(Lane.INTERACTIVE);
  }

  @Test
  void autoFollowsTheConfiguredBatchWindow() {
    var quick =
        new LanePolicy(
            new DeadlinePolicy(Duration.ofMinutes(10), Duration.ofMinutes(5), Duration.ZERO));
    assertThat(quick.laneFor(Priority.STANDARD, Mode.AUTO, NOW.plusSeconds(900), NOW))
        .isEqualTo(Lane.DEFERRED);
    assertThat(quick.laneFor(Priority.STANDARD, Mode.AUTO, NOW.plusSeconds(899), NOW))
        .isEqualTo(Lane.STANDARD);
  }

  @Test
  void realtimeLanesAreServedHighestFirstAndExcludeDeferred() {
    assertThat(policy.realtimeLanes())
        .containsExactly(Lane.INTERACTIVE, Lane.STANDARD, Lane.BULK)
        .doesNotContain(Lane.DEFERRED);
  }

  @Test
  void shouldRunWorkThatCanWaitOnTheBulkLaneOfAProviderWithoutABatchApi() {
    for (Priority priority : Priority.values()) {
      assertThat(policy.laneFor(priority, Mode.DEFERRED, null, NOW, false)).isEqualTo(Lane.BULK);
      assertThat(policy.laneFor(priority, Mode.AUTO, null, NOW, false))
          .isEqualTo(policy.realtimeLaneFor(priority));
      assertThat(policy.laneFor(priority, Mode.REALTIME, null, NOW, false))
          .isEqualTo(policy.realtimeLaneFor(priority));
      assertThat(policy.laneFor(priority, Mode.DEFERRED, null, NOW, true)).isEqualTo(Lane.DEFERRED);
    }
  }
}
