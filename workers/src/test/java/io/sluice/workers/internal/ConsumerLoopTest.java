package io.sluice.workers.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.lane.LanePolicy;
import io.sluice.schemas.task.Lane;
import io.sluice.schemas.task.Task;
import io.sluice.testing.ManualClock;
import io.sluice.workers.Admission;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ConsumerLoopTest {
  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
  private static final Duration LOCK = Duration.ofSeconds(30);
  private static final Duration WAIT = Duration.ofSeconds(5);

  private final ManualClock clock = new ManualClock(T0);
  private final Counters counters = new Counters();
  private final List<HeldTask> started = new CopyOnWriteArrayList<>();
  private final FakeLaneSource source = new FakeLaneSource(Lane.STANDARD, LOCK);
  private SlotArbiter arbiter;
  private ConsumerLoop loop;
  private Thread thread;

  private ConsumerLoop start(int concurrency, Duration shutdownTimeout) {
    arbiter =
        new SlotArbiter(
            new LanePolicy(), concurrency, 4, Admission.OPEN, clock, started::add, task -> true);
    loop =
        new ConsumerLoop(
            source,
            arbiter,
            clock,
            Duration.ofMillis(20),
            shutdownTimeout,
            LOCK,
            counters,
            new TaskThreads());
    thread = Thread.ofPlatform().name("loop-under-test").start(loop);
    return loop;
  }

  @AfterEach
  void stopLoop() throws InterruptedException {
    if (loop != null) {
      loop.stop();
      thread.join(WAIT.toMillis());
    }
  }

  private static byte[] bytesOf(Task task) {
    return HeldTasks.TASKS.toBytes(task);
  }

  private static Task aTask() {
    return HeldTasks.task(Lane.STANDARD, "gpt-4o-mini", "reverse: abc");
  }

  @Test
  void shouldHandEachPolledRecordToTheArbiterWithItsTaskDecoded() {
    Task task = aTask();
    start(4, Duration.ZERO);

    source.offer(bytesOf(task));

    await().atMost(WAIT).until(() -> started.size() == 1);
    HeldTask held = started.getFirst();
    assertThat(held.delivery().task()).isEqualTo(task);
    assertThat(held.delivery().readAt()).isEqualTo(T0);
    assertThat(held.lane()).isEqualTo(Lane.STANDARD);
    assertThat(held.owner()).isSameAs(loop);
  }

  @Test
  void shouldAcknowledgeATaskWithItsVerdictOnceItEnds() {
    start(4, Duration.ZERO);
    var records = source.offer(bytesOf(aTask()), bytesOf(aTask()));
    await().atMost(WAIT).until(() -> started.size() == 2);

    loop.completed(started.get(1), AcknowledgeType.ACCEPT);
    loop.completed(started.get(0), AcknowledgeType.REJECT);

    await().atMost(WAIT).until(() -> source.acks.size() == 2);
    assertThat(source.acks)
        .containsExactlyInAnyOrder(
            new FakeLaneSource.Ack(records.get(1).offset(), AcknowledgeType.ACCEPT),
            new FakeLaneSource.Ack(records.get(0).offset(), AcknowledgeType.REJECT));
  }

  @Test
  void shouldDecodeAnUnreadableRecordOnceAndStillHandItOn() {
    start(4, Duration.ZERO);

    source.offer("{oops".getBytes(StandardCharsets.UTF_8));

    await().atMost(WAIT).until(() -> started.size() == 1);
    assertThat(started.getFirst().delivery().readable()).isFalse();
    assertThat(started.getFirst().delivery().problem()).isNotBlank();
  }

  @Test
  void shouldRenewTheLocksOfHeldRecordsAfterAThirdOfTheLockAndAcknowledgeTheRenewedRecord() {
    start(4, Duration.ZERO);
    var records = source.offer(bytesOf(aTask()));
    await().atMost(WAIT).until(() -> started.size() == 1);

    clock.advance(LOCK.dividedBy(3));
    arbiter.deferralEnded(); // wakes the loop

    await()
        .atMost(WAIT)
        .until(
            () ->
                source.acks.contains(
                    new FakeLaneSource.Ack(records.getFirst().offset(), AcknowledgeType.RENEW)));
    await().atMost(WAIT).until(() -> counters.snapshot().lockRenewals() == 1);
    loop.completed(started.getFirst(), AcknowledgeType.ACCEPT);
    await().atMost(WAIT).until(() -> source.acks.size() == 2);
    assertThat(source.acks)
        .containsExactly(
            new FakeLaneSource.Ack(records.getFirst().offset(), AcknowledgeType.RENEW),
            new FakeLaneSource.Ack(records.getFirst().offset(), AcknowledgeType.ACCEPT));
    assertThat(started).as("a renewed record is not a new task").hasSize(1);
  }

  @Test
  void shouldReleaseWhatNeverStartedAndWhatStillRunsWhenStopped() throws InterruptedException {
    start(1, Duration.ZERO);
    var records = source.offer(bytesOf(aTask()), bytesOf(aTask()));
    await().atMost(WAIT).until(() -> started.size() == 1);

    loop.stop();
    thread.join(WAIT.toMillis());

    assertThat(source.acks)
        .containsExactlyInAnyOrder(
            new FakeLaneSource.Ack(records.get(0).offset(), AcknowledgeType.RELEASE),
            new FakeLaneSource.Ack(records.get(1).offset(), AcknowledgeType.RELEASE));
    assertThat(counters.snapshot().released()).isEqualTo(2);
    assertThat(source.closed).isTrue();
    assertThat(started).hasSize(1);
  }

  @Test
  void shouldLetARunningTaskFinishWithinTheShutdownTimeout() throws InterruptedException {
    start(1, Duration.ofSeconds(30));
    var records = source.offer(bytesOf(aTask()));
    await().atMost(WAIT).until(() -> started.size() == 1);

    loop.stop();
    loop.completed(started.getFirst(), AcknowledgeType.ACCEPT);
    thread.join(WAIT.toMillis());

    assertThat(thread.isAlive()).isFalse();
    assertThat(source.acks)
        .containsExactly(
            new FakeLaneSource.Ack(records.getFirst().offset(), AcknowledgeType.ACCEPT));
    assertThat(counters.snapshot().released()).isZero();
  }

  @Test
  void shouldNotPollForMoreWhileItsLastBatchIsUnacknowledged() {
    start(4, Duration.ZERO);
    source.offer(bytesOf(aTask()));
    await().atMost(WAIT).until(() -> started.size() == 1);

    source.offer(bytesOf(aTask()));
    arbiter.deferralEnded(); // wakes the loop: it must not poll while it holds a record

    await().during(Duration.ofMillis(300)).atMost(WAIT).until(() -> started.size() == 1);
    loop.completed(started.getFirst(), AcknowledgeType.ACCEPT);
    await().atMost(WAIT).until(() -> started.size() == 2);
  }
}
