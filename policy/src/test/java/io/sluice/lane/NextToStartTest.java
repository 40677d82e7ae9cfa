package io.sluice.lane;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.schemas.task.Lane;
import java.time.Instant;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NextToStartTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

  private final LanePolicy policy = new LanePolicy();
  private final Map<Lane, List<WaitingTask>> waiting = new EnumMap<>(Lane.class);
  private final Map<String, Instant> deferred = new HashMap<>();
  private Set<Lane> polling = Set.of();
  private int freeSlots = 1;

  private static WaitingTask task(String id, String model) {
    return new WaitingTask(id, model, "tenant-1", NOW.minusSeconds(1));
  }

  private String next() {
    return policy
        .nextToStart(new PoolSnapshot(waiting, freeSlots, polling, deferred, NOW))
        .map(WaitingTask::id)
        .orElse(null);
  }

  @Test
  void shouldStartNothingWhenNothingIsWaiting() {
    assertThat(next()).isNull();
  }

  @Test
  void shouldStartTheInteractiveTaskBeforeStandardAndBulkOnes() {
    waiting.put(Lane.BULK, List.of(task("b1", "m")));
    waiting.put(Lane.STANDARD, List.of(task("s1", "m")));
    waiting.put(Lane.INTERACTIVE, List.of(task("i1", "m")));

    assertThat(next()).isEqualTo("i1");
  }

  @Test
  void shouldStartTheOldestTaskOfALaneFirst() {
    waiting.put(Lane.STANDARD, List.of(task("s1", "m"), task("s2", "m"), task("s3", "m")));

    assertThat(next()).isEqualTo("s1");
  }

  @Test
  void shouldStartNothingWithoutAFreeSlot() {
    waiting.put(Lane.INTERACTIVE, List.of(task("i1", "m")));
    freeSlots = 0;

    assertThat(next()).isNull();
  }

  @Test
  void shouldSkipTasksOfADeferredModelAndTakeTheNextOfTheSameLane() {
    waiting.put(Lane.STANDARD, List.of(task("s1", "big"), task("s2", "small")));
    deferred.put("big", NOW.plusSeconds(5));

    assertThat(next()).isEqualTo("s2");
  }

  @Test
  void shouldStartALowerLaneWhenEveryTaskOfAHigherOneIsDeferred() {
    waiting.put(Lane.INTERACTIVE, List.of(task("i1", "big")));
    waiting.put(Lane.BULK, List.of(task("b1", "small")));
    deferred.put("big", NOW.plusSeconds(5));

    assertThat(next()).isEqualTo("b1");
  }

  @Test
  void shouldStartADeferredModelAgainOnceItsDeferralEnded() {
    waiting.put(Lane.STANDARD, List.of(task("s1", "big")));
    deferred.put("big", NOW);

    assertThat(next()).isEqualTo("s1");
  }

  @Test
  void shouldWaitForAHigherLanesPollBeforeStartingALowerLane() {
    waiting.put(Lane.BULK, List.of(task("b1", "m")));
    polling = Set.of(Lane.INTERACTIVE);

    assertThat(next()).isNull();
  }

  @Test
  void shouldStartAHigherLaneWhileALowerLanesPollIsInFlight() {
    waiting.put(Lane.INTERACTIVE, List.of(task("i1", "m")));
    polling = Set.of(Lane.BULK);

    assertThat(next()).isEqualTo("i1");
  }

  @Test
  void shouldStartAWaitingTaskOfALaneWhosePollIsInFlight() {
    waiting.put(Lane.STANDARD, List.of(task("s1", "m")));
    polling = Set.of(Lane.STANDARD);

    assertThat(next()).isEqualTo("s1");
  }

  @Test
  void shouldNeverDeferAnUnreadableTask() {
    waiting.put(Lane.STANDARD, List.of(task("garbage", null)));
    deferred.put("m", NOW.plusSeconds(5));

    assertThat(next()).isEqualTo("garbage");
  }

  @Test
  void shouldIgnoreTheDeferredLane() {
    waiting.put(Lane.DEFERRED, List.of(task("d1", "m")));

    assertThat(next()).isNull();
  }
}
