package io.sluice.lane;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.schemas.job.Mode;
import io.sluice.schemas.job.Priority;
import io.sluice.schemas.task.Lane;
import org.junit.jupiter.api.Test;

class LanePolicyTest {
  private final LanePolicy policy = new LanePolicy();

  @Test
  void realtimeAndAutoJobsGoToTheLaneOfTheirPriority() {
    for (Priority priority : Priority.values()) {
      Lane lane = policy.laneFor(priority, Mode.REALTIME);
      assertThat(lane.isRealtime()).isTrue();
      assertThat(lane.topicSegment()).isEqualTo(priority.name().toLowerCase(java.util.Locale.ROOT));
      assertThat(policy.laneFor(priority, Mode.AUTO)).isEqualTo(lane);
    }
  }

  @Test
  void deferredJobsGoToTheDeferredLaneWhateverTheirPriority() {
    for (Priority priority : Priority.values()) {
      assertThat(policy.laneFor(priority, Mode.DEFERRED)).isEqualTo(Lane.DEFERRED);
    }
  }

  @Test
  void realtimeLanesAreServedHighestFirstAndExcludeDeferred() {
    assertThat(policy.realtimeLanes())
        .containsExactly(Lane.INTERACTIVE, Lane.STANDARD, Lane.BULK)
        .doesNotContain(Lane.DEFERRED);
  }
}
