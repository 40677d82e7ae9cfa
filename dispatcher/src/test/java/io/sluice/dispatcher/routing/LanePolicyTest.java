package io.sluice.dispatcher.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.schemas.job.Mode;
import io.sluice.schemas.job.Priority;
import io.sluice.schemas.task.Lane;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LanePolicyTest {
  private final LanePolicy policy = new LanePolicy();

  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource({
    "INTERACTIVE, REALTIME, INTERACTIVE",
    "STANDARD, REALTIME, STANDARD",
    "BULK, REALTIME, BULK",
    "INTERACTIVE, DEFERRED, DEFERRED",
    "STANDARD, DEFERRED, DEFERRED",
    "BULK, DEFERRED, DEFERRED",
    "INTERACTIVE, AUTO, INTERACTIVE",
    "STANDARD, AUTO, STANDARD",
    "BULK, AUTO, BULK",
  })
  void shouldPickTheLaneFromPriorityAndMode(Priority priority, Mode mode, Lane expected) {
    assertThat(policy.laneFor(priority, mode)).isEqualTo(expected);
  }
}
