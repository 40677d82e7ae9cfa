package io.sluice.workers.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.lane.DeadlinePolicy;
import io.sluice.lane.LanePolicy;
import io.sluice.lane.LaneShares;
import io.sluice.schemas.task.Lane;
import io.sluice.testing.ManualClock;
import io.sluice.workers.Admission;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SlotArbiterTest {
  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");

  private final ManualClock clock = new ManualClock(T0);
  private final HeldTasks tasks = new HeldTasks();
  private final List<HeldTask> started = new ArrayList<>();

  private SlotArbiter arbiter(int concurrency, int recordsPerPoll, Admission admission) {
    return new SlotArbiter(
        new LanePolicy(),
        concurrency,
        recordsPerPoll,
        admission,
        clock,
        started::add,
        task -> task.delivery().deliveryCount() < 4);
  }

  private SlotArbiter arbiter(int concurrency) {
    return arbiter(concurrency, 4, Admission.OPEN);
  }

  private HeldTask held(Lane lane) {
    return tasks.held(lane, "gpt-4o-mini", clock.instant());
  }

  private HeldTask held(Lane lane, String model) {
    return tasks.held(lane, model, clock.instant());
  }

  @Test
  void shouldStartAHeldTaskAtOnceWhenASlotIsFree() {
    SlotArbiter arbiter = arbiter(2);
    HeldTask task = held(Lane.STANDARD);

    arbiter.add(Lane.STANDARD, List.of(task));

    assertThat(started).containsExactly(task);
  }

  @Test
  void shouldStartNoMoreTasksThanTheConcurrency() {
    SlotArbiter arbiter = arbiter(2);
    List<HeldTask> three = List.of(held(Lane.BULK), held(Lane.BULK), held(Lane.BULK));

    arbiter.add(Lane.BULK, three);

    assertThat(started).containsExactly(three.get(0), three.get(1));
    assertThat(arbiter.snapshot().freeSlots()).isZero();
  }

  @Test
  void shouldGiveAFreedSlotToTheHighestLaneFirstAndFifoWithinALane() {
    SlotArbiter arbiter = arbiter(1);
    HeldTask blocker = held(Lane.BULK);
    arbiter.add(Lane.BULK, List.of(blocker));
    HeldTask bulk = held(Lane.BULK);
    HeldTask standard = held(Lane.STANDARD);
    HeldTask interactive1 = held(Lane.INTERACTIVE);
    HeldTask interactive2 = held(Lane.INTERACTIVE);
    arbiter.add(Lane.BULK, List.of(bulk));
    arbiter.add(Lane.STANDARD, List.of(standard));
    arbiter.add(Lane.INTERACTIVE, List.of(interactive1, interactive2));

    for (int i = 0; i < 4; i++) {
      arbiter.finished(Lane.BULK, 1, false);
    }

    assertThat(started).containsExactly(blocker, interactive1, interactive2, standard, bulk);
  }

  @Test
  void shouldGiveBulkItsMinimumShareOfStartsUnderConstantInteractiveWork() {
    SlotArbiter arbiter = arbiter(1);
    List<HeldTask> bulk = new ArrayList<>();
    for (int i = 0; i < 50; i++) {
      bulk.add(held(Lane.BULK));
    }
    arbiter.add(Lane.BULK, bulk);

    for (int i = 0; i < 200; i++) {
      arbiter.add(Lane.INTERACTIVE, List.of(held(Lane.INTERACTIVE)));
      arbiter.finished(started.getLast().lane(), 1, false);
    }

    List<HeldTask> last100 = started.subList(started.size() - 100, started.size());
    assertThat(last100.stream().filter(task -> task.lane() == Lane.BULK).count())
        .as("bulk starts of the last 100, with interactive work always waiting")
        .isBetween(9L, 12L);
  }

  @Test
  void shouldLetALaneOwedItsShareTakeMoreRecordsWithoutRoom() {
    SlotArbiter owed = busyWithInteractiveWork(new LanePolicy());
    SlotArbiter strict =
        busyWithInteractiveWork(new LanePolicy(DeadlinePolicy.DEFAULT, LaneShares.STRICT));

    assertThat(owed.tryStartPoll(Lane.BULK, true, false)).as("bulk is owed").isTrue();
    assertThat(owed.tryStartPoll(Lane.BULK, true, false)).as("one poll at a time").isFalse();
    assertThat(strict.tryStartPoll(Lane.BULK, true, false)).as("no share: no room").isFalse();
  }

  /** 20 interactive starts, one running now, one bulk task held. */
  private SlotArbiter busyWithInteractiveWork(LanePolicy policy) {
    SlotArbiter arbiter =
        new SlotArbiter(policy, 1, 4, Admission.OPEN, clock, started::add, task -> true);
    for (int i = 0; i < 20; i++) {
      arbiter.add(Lane.INTERACTIVE, List.of(held(Lane.INTERACTIVE)));
      arbiter.finished(Lane.INTERACTIVE, 1, false);
    }
    arbiter.add(Lane.INTERACTIVE, List.of(held(Lane.INTERACTIVE)));
    arbiter.add(Lane.BULK, List.of(held(Lane.BULK)));
    return arbiter;
  }

  @Test
  void shouldStartTheTaskOfTheTenantServedLeastWithinALane() {
    SlotArbiter arbiter = arbiter(1);
    HeldTask first = tasks.held(Lane.BULK, "gpt-4o-mini", clock.instant(), 1, "big");
    arbiter.add(Lane.BULK, List.of(first));
    HeldTask big = tasks.held(Lane.BULK, "gpt-4o-mini", clock.instant(), 1, "big");
    HeldTask small = tasks.held(Lane.BULK, "gpt-4o-mini", clock.instant(), 1, "small");
    arbiter.add(Lane.BULK, List.of(big, small));

    arbiter.finished(Lane.BULK, 1, false);

    assertThat(started).containsExactly(first, small);
  }

  @Test
  void shouldHoldALowerLaneWhileAHigherLanesHungryPollIsInFlight() {
    SlotArbiter arbiter = arbiter(4);
    assertThat(arbiter.tryStartPoll(Lane.INTERACTIVE, true, false)).isTrue();
    HeldTask bulk = held(Lane.BULK);

    arbiter.add(Lane.BULK, List.of(bulk));
    assertThat(started).as("interactive may have more").isEmpty();

    arbiter.pollFinished(Lane.INTERACTIVE, true, List.of());
    assertThat(started).containsExactly(bulk);
  }

  @Test
  void shouldHoldALowerLaneWhileAFinishedTasksConsumerPollsItsLaneAgain() {
    SlotArbiter arbiter = arbiter(1);
    HeldTask interactive = held(Lane.INTERACTIVE);
    arbiter.add(Lane.INTERACTIVE, List.of(interactive));
    HeldTask bulk = held(Lane.BULK);
    arbiter.add(Lane.BULK, List.of(bulk));

    arbiter.finished(Lane.INTERACTIVE, 1, true);
    assertThat(started).containsExactly(interactive);

    assertThat(arbiter.tryStartPoll(Lane.INTERACTIVE, true, true)).isTrue();
    arbiter.pollFinished(Lane.INTERACTIVE, true, List.of());
    assertThat(started).containsExactly(interactive, bulk);
  }

  @Test
  void shouldLetAHungryConsumerPollOnlyWhileTheFreeSlotsExceedWhatPollsMayBring() {
    SlotArbiter arbiter = arbiter(3, 2, Admission.OPEN);

    assertThat(arbiter.tryStartPoll(Lane.STANDARD, true, false)).as("room for 3").isTrue();
    assertThat(arbiter.tryStartPoll(Lane.STANDARD, true, false)).as("room for 1").isTrue();
    assertThat(arbiter.tryStartPoll(Lane.STANDARD, true, false)).as("no room").isFalse();
    assertThat(arbiter.tryStartPoll(Lane.BULK, true, false)).as("head of its lane").isTrue();
    assertThat(arbiter.tryStartPoll(Lane.BULK, true, false)).isFalse();
    assertThat(arbiter.tryStartPoll(Lane.BULK, false, false)).as("last poll empty").isTrue();
  }

  @Test
  void shouldKeepADeferredModelWaitingUntilItsNotBeforeAndStartOtherModels() {
    SlotArbiter arbiter = arbiter(2);
    HeldTask big = held(Lane.STANDARD, "big-model");
    arbiter.add(Lane.STANDARD, List.of(big));
    assertThat(started).containsExactly(big);

    arbiter.deferred(big, T0.plusSeconds(5));
    HeldTask bigToo = held(Lane.INTERACTIVE, "big-model");
    HeldTask small = held(Lane.BULK, "small-model");
    arbiter.add(Lane.INTERACTIVE, List.of(bigToo));
    arbiter.add(Lane.BULK, List.of(small));
    assertThat(started).containsExactly(big, small);

    clock.advance(Duration.ofSeconds(5));
    arbiter.deferralEnded();
    assertThat(started).containsExactly(big, small, bigToo);
  }

  @Test
  void shouldTryADeferredModelAgainAtTheEarliestInstantAnyOfItsTasksWasGiven() {
    SlotArbiter arbiter = arbiter(2);
    HeldTask large = held(Lane.STANDARD, "m");
    HeldTask small = held(Lane.STANDARD, "m");
    arbiter.add(Lane.STANDARD, List.of(large, small));
    assertThat(started).containsExactly(large, small);

    arbiter.deferred(small, T0.plusSeconds(3));
    arbiter.deferred(large, T0.plusSeconds(1));
    clock.advance(Duration.ofMillis(999));
    arbiter.deferralEnded();
    assertThat(started).as("nothing before the earliest instant").hasSize(2);

    clock.advance(Duration.ofMillis(1));
    arbiter.deferralEnded();
    assertThat(started).containsExactly(large, small, large, small);
  }

  @Test
  void shouldPutADeferredTaskBackFirstInItsLane() {
    SlotArbiter arbiter = arbiter(1);
    HeldTask first = held(Lane.STANDARD, "m");
    HeldTask second = held(Lane.STANDARD, "m");
    arbiter.add(Lane.STANDARD, List.of(first, second));

    arbiter.deferred(first, T0.plusMillis(100));
    clock.advance(Duration.ofMillis(100));
    arbiter.deferralEnded();

    assertThat(started).containsExactly(first, first);
  }

  @Test
  void shouldRefuseEveryPollWhileAModelIsDeferred() {
    SlotArbiter arbiter = arbiter(4);
    HeldTask task = held(Lane.STANDARD);
    arbiter.add(Lane.STANDARD, List.of(task));
    arbiter.deferred(task, T0.plusSeconds(1));

    assertThat(arbiter.tryStartPoll(Lane.BULK, false, false)).isFalse();
    assertThat(arbiter.tryStartPoll(Lane.INTERACTIVE, true, false)).isFalse();

    clock.advance(Duration.ofSeconds(1));
    assertThat(arbiter.tryStartPoll(Lane.BULK, false, false)).isTrue();
  }

  @Test
  void shouldTakeOnlyEachLanesHeadWhileTheRateLimiterBinds() {
    SlotArbiter arbiter = arbiter(8, 1, Admission.OPEN);
    limitedBy(arbiter, held(Lane.STANDARD));

    assertThat(arbiter.tryStartPoll(Lane.STANDARD, true, false)).as("the lane's head").isTrue();
    assertThat(arbiter.tryStartPoll(Lane.STANDARD, true, false))
        .as("seven free slots, but a poll of the lane is in flight")
        .isFalse();
    assertThat(arbiter.tryStartPoll(Lane.BULK, true, false)).as("another lane's head").isTrue();

    HeldTask next = held(Lane.STANDARD);
    arbiter.pollFinished(Lane.STANDARD, true, List.of(next));
    assertThat(started).as("a record that may start starts").endsWith(next);

    arbiter.deferred(next, clock.instant().plusMillis(500));
    clock.advance(Duration.ofMillis(500));
    assertThat(arbiter.tryStartPoll(Lane.STANDARD, true, false))
        .as("a deferred task waits first in its lane")
        .isFalse();
  }

  @Test
  void shouldLetOnePollOfABusyLaneGoAtATimeWhileLimitedAndKeepAnIdleLaneLooking() {
    SlotArbiter arbiter = arbiter(8, 1, Admission.OPEN);
    limitedBy(arbiter, held(Lane.STANDARD));

    assertThat(arbiter.tryStartPoll(Lane.STANDARD, false, false)).as("last poll empty").isTrue();
    assertThat(arbiter.tryStartPoll(Lane.STANDARD, false, false))
        .as("the lane brought records lately and a poll of it is in flight")
        .isFalse();
    assertThat(arbiter.tryStartPoll(Lane.INTERACTIVE, false, false)).isTrue();
    assertThat(arbiter.tryStartPoll(Lane.INTERACTIVE, false, false))
        .as("a lane that brought nothing lately")
        .isTrue();

    arbiter.pollFinished(Lane.STANDARD, false, List.of());
    assertThat(arbiter.tryStartPoll(Lane.STANDARD, false, false)).isTrue();
  }

  @Test
  void shouldReadABusyLanesNextRecordWhileLimitedOnlyOnceItsStartedTaskIsAdmitted() {
    SlotArbiter arbiter = arbiter(8, 1, Admission.OPEN);
    List<String> told = new ArrayList<>();
    arbiter.onPollChance(() -> told.add("poll chance"));
    limitedBy(arbiter, held(Lane.STANDARD));
    HeldTask asking = held(Lane.STANDARD);
    arbiter.add(Lane.STANDARD, List.of(asking));
    assertThat(started).endsWith(asking);
    told.clear();

    assertThat(arbiter.tryStartPoll(Lane.STANDARD, true, false))
        .as("started, still waiting for the rate limiter")
        .isFalse();

    arbiter.admitted(asking);
    assertThat(told).containsExactly("poll chance");
    assertThat(arbiter.tryStartPoll(Lane.STANDARD, true, false)).isTrue();
  }

  @Test
  void shouldReadNoRecordWhileAStartedTasksRetryWaitsForTheRateLimiter() {
    SlotArbiter arbiter = arbiter(8, 1, Admission.OPEN);
    List<String> told = new ArrayList<>();
    arbiter.onPollChance(() -> told.add("poll chance"));
    HeldTask retrying = held(Lane.STANDARD);
    arbiter.add(Lane.STANDARD, List.of(retrying));
    TaskProcessor.LimiterWaits waits = arbiter.waitsOf(retrying);
    waits.admitted();
    assertThat(arbiter.tryStartPoll(Lane.STANDARD, true, false)).as("nothing deferred").isTrue();
    arbiter.pollFinished(Lane.STANDARD, true, List.of());
    told.clear();

    waits.waiting();

    assertThat(arbiter.tryStartPoll(Lane.STANDARD, true, false))
        .as("limited by the retry's wait, which the lane's next record would join")
        .isFalse();
    assertThat(arbiter.tryStartPoll(Lane.STANDARD, false, false)).isFalse();

    waits.admitted();
    assertThat(told).containsExactly("poll chance");
    assertThat(arbiter.tryStartPoll(Lane.STANDARD, true, false)).isTrue();
    assertThat(arbiter.tryStartPoll(Lane.STANDARD, true, false))
        .as("still limited: one poll of the busy lane at a time")
        .isFalse();
  }

  @Test
  void shouldGiveALimitedBusyLanesPollToAConsumerWhoseLastPollBroughtRecords() {
    SlotArbiter arbiter = arbiter(8, 1, Admission.OPEN);
    List<String> told = new ArrayList<>();
    arbiter.onPollChance(() -> told.add("poll chance"));
    assertThat(arbiter.shortIdlePolls(Lane.STANDARD)).as("not limited").isFalse();
    limitedBy(arbiter, held(Lane.STANDARD));
    assertThat(arbiter.shortIdlePolls(Lane.STANDARD)).as("limited, and the lane is busy").isTrue();
    assertThat(arbiter.tryStartPoll(Lane.STANDARD, false, false)).as("an idle consumer").isTrue();
    assertThat(arbiter.tryStartPoll(Lane.STANDARD, true, false))
        .as("one poll of the busy lane at a time")
        .isFalse();
    told.clear();

    arbiter.pollFinished(Lane.STANDARD, false, List.of());

    assertThat(told).as("the refused consumer may ask at once").containsExactly("poll chance");
    assertThat(arbiter.tryStartPoll(Lane.STANDARD, false, false))
        .as("the idle consumer gives way to the one refused")
        .isFalse();
    assertThat(arbiter.tryStartPoll(Lane.STANDARD, true, false)).isTrue();
    arbiter.pollFinished(Lane.STANDARD, true, List.of());

    assertThat(arbiter.tryStartPoll(Lane.STANDARD, false, false))
        .as("nobody refused since: the idle consumer looks again")
        .isTrue();
    arbiter.tryStartPoll(Lane.STANDARD, true, false);
    arbiter.pollFinished(Lane.STANDARD, false, List.of());
    clock.advance(SlotArbiter.HUNGRY_FIRST_FOR);
    assertThat(arbiter.tryStartPoll(Lane.STANDARD, false, false))
        .as("the refused consumer did not come back")
        .isTrue();
  }

  @Test
  void shouldShedWhatALaneReadBeforeTheLimiterBoundExceptItsHead() {
    SlotArbiter arbiter = arbiter(1, 1, Admission.OPEN);
    List<String> told = new ArrayList<>();
    arbiter.onPollChance(() -> told.add("poll chance"));
    HeldTask first = held(Lane.STANDARD);
    HeldTask second = held(Lane.STANDARD);
    HeldTask third = held(Lane.STANDARD);
    HeldTask lastButOne = tasks.held(Lane.STANDARD, "gpt-4o-mini", clock.instant(), 4);
    arbiter.add(Lane.STANDARD, List.of(first, second, lastButOne, third));
    assertThat(started).containsExactly(first);
    assertThat(arbiter.mayShed()).as("not limited").isFalse();
    assertThat(arbiter.shed(second)).isFalse();

    clock.advance(Duration.ofSeconds(1));
    arbiter.deferred(first, clock.instant().plusSeconds(1));

    assertThat(told).as("the consumers look for what to shed").contains("poll chance");
    assertThat(arbiter.mayShed()).isTrue();
    assertThat(arbiter.shed(first)).as("the lane's head").isFalse();
    assertThat(arbiter.shed(second)).isTrue();
    assertThat(arbiter.shed(second)).as("already out").isFalse();
    assertThat(arbiter.shed(lastButOne)).as("a release would leave it one delivery").isFalse();
    HeldTask readWhileLimited = held(Lane.STANDARD);
    arbiter.add(Lane.STANDARD, List.of(readWhileLimited));
    assertThat(arbiter.shed(readWhileLimited))
        .as("the poll's worth a limited lane reads")
        .isFalse();
    assertThat(arbiter.shed(third)).isTrue();
    assertThat(arbiter.snapshot().waitingIn(Lane.STANDARD))
        .containsExactly(first.waiting(), lastButOne.waiting(), readWhileLimited.waiting());
  }

  @Test
  void shouldStayLimitedWhileAStartedTasksCallWaitsForTheRateLimiter() {
    SlotArbiter arbiter = arbiter(8, 1, Admission.OPEN);
    HeldTask retrying = held(Lane.STANDARD);
    arbiter.add(Lane.STANDARD, List.of(retrying));
    TaskProcessor.LimiterWaits waits = arbiter.waitsOf(retrying);
    waits.admitted();
    waits.waiting();

    clock.advance(SlotArbiter.LIMITED_FOR.plusSeconds(10));
    HeldTask other = held(Lane.INTERACTIVE);
    arbiter.add(Lane.INTERACTIVE, List.of(other));

    assertThat(arbiter.tryStartPoll(Lane.INTERACTIVE, true, false))
        .as("still limited: the lane's head is known")
        .isFalse();
    arbiter.finished(Lane.STANDARD, 1, false);
    arbiter.settled(retrying);
    clock.advance(SlotArbiter.LIMITED_FOR);
    assertThat(arbiter.tryStartPoll(Lane.INTERACTIVE, true, false))
        .as("no wait and no deferral for the limited span: free slots count again")
        .isTrue();
  }

  @Test
  void shouldForgetAStartedTaskThatEndedWithoutAdmission() {
    SlotArbiter arbiter = arbiter(8, 1, Admission.OPEN);
    limitedBy(arbiter, held(Lane.STANDARD));
    HeldTask cancelled = held(Lane.STANDARD);
    arbiter.add(Lane.STANDARD, List.of(cancelled));

    arbiter.settled(cancelled);
    arbiter.finished(Lane.STANDARD, 1, false);

    assertThat(arbiter.tryStartPoll(Lane.STANDARD, true, false)).isTrue();
  }

  @Test
  void shouldKeepALaneBusyWhileLimitedWhenItsTaskWaitedLongerThanTheLimitedSpan() {
    SlotArbiter arbiter = arbiter(8, 1, Admission.OPEN);
    HeldTask slow = held(Lane.STANDARD);
    arbiter.add(Lane.STANDARD, List.of(slow));
    arbiter.deferred(slow, T0.plusSeconds(25));
    clock.advance(Duration.ofSeconds(25));
    arbiter.deferralEnded();
    arbiter.deferred(slow, T0.plusSeconds(50));
    clock.advance(Duration.ofSeconds(25));
    arbiter.deferralEnded();
    arbiter.admitted(slow);

    assertThat(arbiter.tryStartPoll(Lane.STANDARD, false, false)).isTrue();
    assertThat(arbiter.tryStartPoll(Lane.STANDARD, false, false))
        .as("read 50 s ago, but admitted just now: the lane still has a backlog")
        .isFalse();
  }

  @Test
  void shouldCountARecordReleasedForAFarDeferralAsADeferral() {
    SlotArbiter arbiter = arbiter(8, 1, Admission.OPEN);
    HeldTask far = held(Lane.STANDARD);
    arbiter.add(Lane.STANDARD, List.of(far));

    arbiter.releasedForLater(far);
    arbiter.finished(Lane.STANDARD, 1, false);

    assertThat(arbiter.tryStartPoll(Lane.STANDARD, true, false)).isTrue();
    assertThat(arbiter.tryStartPoll(Lane.STANDARD, true, false)).as("limited").isFalse();
  }

  @Test
  void shouldTakeBatchesAgainOnceNoTaskWasDeferredForAWhile() {
    SlotArbiter arbiter = arbiter(8, 1, Admission.OPEN);
    limitedBy(arbiter, held(Lane.STANDARD));
    arbiter.tryStartPoll(Lane.STANDARD, true, false);
    arbiter.pollFinished(Lane.STANDARD, true, List.of());

    clock.advance(SlotArbiter.LIMITED_FOR);

    assertThat(arbiter.tryStartPoll(Lane.STANDARD, true, false)).isTrue();
    assertThat(arbiter.tryStartPoll(Lane.STANDARD, true, false))
        .as("free slots are a reason again")
        .isTrue();
  }

  @Test
  void shouldRefuseAReservedPollWhileLimitedAndItsLaneHoldsAWaitingTask() {
    SlotArbiter limited = arbiter(1, 1, Admission.OPEN);
    limitedBy(limited, held(Lane.INTERACTIVE));
    SlotArbiter unlimited = arbiter(1, 1, Admission.OPEN);

    for (SlotArbiter arbiter : List.of(limited, unlimited)) {
      arbiter.add(Lane.STANDARD, List.of(held(Lane.STANDARD)));
      arbiter.add(Lane.STANDARD, List.of(held(Lane.STANDARD), held(Lane.STANDARD)));
      arbiter.finished(Lane.STANDARD, 1, true);
    }

    assertThat(limited.tryStartPoll(Lane.STANDARD, true, true)).as("one task waits").isFalse();
    assertThat(limited.snapshot().pollsInFlight()).as("the reservation is given up").isEmpty();
    assertThat(unlimited.tryStartPoll(Lane.STANDARD, true, true)).isTrue();
  }

  /** Makes the pool limited: the limiter deferred {@code task} for a second, which has passed. */
  private void limitedBy(SlotArbiter arbiter, HeldTask task) {
    arbiter.add(task.lane(), List.of(task));
    arbiter.deferred(task, clock.instant().plusSeconds(1));
    clock.advance(Duration.ofSeconds(1));
    arbiter.deferralEnded();
    arbiter.admitted(task);
    arbiter.finished(task.lane(), 1, false);
  }

  @Test
  void shouldWakeConsumersAtADeferralsEndOnlyOnceNoModelIsDeferred() {
    SlotArbiter arbiter = arbiter(4);
    List<String> told = new ArrayList<>();
    arbiter.onPollChance(() -> told.add("poll chance"));
    HeldTask first = held(Lane.STANDARD, "m");
    HeldTask second = held(Lane.STANDARD, "other");
    arbiter.add(Lane.STANDARD, List.of(first, second));
    arbiter.deferred(first, T0.plusSeconds(1));
    arbiter.deferred(second, T0.plusSeconds(2));
    told.clear(); // the first deferral made the pool limited: a chance to shed, not to poll

    clock.advance(Duration.ofSeconds(1));
    arbiter.deferralEnded();
    assertThat(told).as("another model is still deferred: no poll is allowed").isEmpty();

    clock.advance(Duration.ofSeconds(1));
    arbiter.deferralEnded();
    assertThat(told).containsExactly("poll chance");
  }

  @Test
  void shouldAskTheAdmissionForASlotAndGiveItBackWhenTheTaskEnds() {
    var admission = new ConcurrencyAdmission(1);
    SlotArbiter arbiter = arbiter(3, 4, admission);
    HeldTask first = held(Lane.STANDARD);
    HeldTask second = held(Lane.STANDARD);

    arbiter.add(Lane.STANDARD, List.of(first, second));
    assertThat(started).containsExactly(first);
    assertThat(admission.inFlight()).isEqualTo(1);

    arbiter.finished(Lane.STANDARD, 1, false);
    assertThat(started).containsExactly(first, second);
    assertThat(admission.inFlight()).isEqualTo(1);
  }

  @Test
  void shouldWithdrawOnlyAWaitingTask() {
    SlotArbiter arbiter = arbiter(1);
    HeldTask running = held(Lane.STANDARD);
    HeldTask waiting = held(Lane.STANDARD);
    arbiter.add(Lane.STANDARD, List.of(running, waiting));

    assertThat(arbiter.withdraw(running)).isFalse();
    assertThat(arbiter.withdraw(waiting)).isTrue();
    arbiter.finished(Lane.STANDARD, 1, false);
    assertThat(started).containsExactly(running);
  }

  @Test
  void shouldStartNothingAndAllowNoPollAfterStop() {
    SlotArbiter arbiter = arbiter(2);
    List<Runnable> told = new ArrayList<>();
    arbiter.onPollChance(() -> told.add(() -> {}));

    arbiter.stop();
    arbiter.add(Lane.STANDARD, List.of(held(Lane.STANDARD)));

    assertThat(started).isEmpty();
    assertThat(arbiter.tryStartPoll(Lane.STANDARD, false, false)).isFalse();
    assertThat(told).as("consumers woken to see the stop").hasSize(1);
  }

  @Test
  void shouldShowTheLanePolicyWhatWaitsWithTheTenantAndWhenItWasTaken() {
    SlotArbiter arbiter = arbiter(1);
    arbiter.add(Lane.BULK, List.of(held(Lane.BULK)));
    clock.advance(Duration.ofSeconds(2));
    HeldTask waiting = held(Lane.BULK);
    arbiter.add(Lane.BULK, List.of(waiting));

    var snapshot = arbiter.snapshot();

    assertThat(snapshot.freeSlots()).isZero();
    assertThat(snapshot.waitingIn(Lane.BULK))
        .singleElement()
        .satisfies(
            task -> {
              assertThat(task.tenant()).isEqualTo("tenant-1");
              assertThat(task.model()).isEqualTo("gpt-4o-mini");
              assertThat(task.heldSince()).isEqualTo(T0.plusSeconds(2));
            });
    assertThat(snapshot.now()).isEqualTo(T0.plusSeconds(2));
  }
}
