package io.sluice.workers.internal;

import io.sluice.schemas.task.Lane;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The thread that owns one share consumer: it polls when the {@link SlotArbiter} allows, hands new
 * records to the arbiter (which starts them as slots free up, highest lane first), renews the locks
 * of what it holds, and acknowledges each record once its task's outcome comes back. Explicit
 * acknowledgement mode lets a consumer poll only when every record of its last poll is acknowledged
 * (or renewing), so it takes a new batch once its last one is done. See the module README.
 */
final class ConsumerLoop implements Runnable, HeldTask.Owner {
  private static final Logger LOG = LoggerFactory.getLogger(ConsumerLoop.class);
  private static final Duration MAX_WAIT = Duration.ofSeconds(1);
  private static final Duration RENEWAL_POLL_WAIT = Duration.ofMillis(5);
  private static final Duration ERROR_PAUSE = Duration.ofSeconds(1);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

  private record Done(HeldTask task, AcknowledgeType verdict) {}

  /**
   * A record this consumer holds, with what changes while it is held: the record object (a renewal
   * hands a new one back), its lock and, once the task ended, its verdict. Only the loop's thread
   * touches it.
   */
  private static final class Holding {
    final HeldTask task;
    ConsumerRecord<String, byte[]> record;
    Instant lockedAt;
    boolean renewing;
    Instant renewRequestedAt;
    AcknowledgeType verdict;

    Holding(HeldTask task, ConsumerRecord<String, byte[]> record, Instant lockedAt) {
      this.task = task;
      this.record = record;
      this.lockedAt = lockedAt;
    }
  }

  private final LaneSource consumer;
  private final SlotArbiter arbiter;
  private final Clock clock;
  private final Duration pollTimeout;
  private final Duration idlePollTimeout;
  private final Duration shutdownTimeout;
  private final Duration defaultLock;
  private final Counters counters;
  private final TaskThreads taskThreads;
  private final Map<LaneConsumer.RecordKey, Holding> held = new LinkedHashMap<>();
  private final BlockingQueue<Done> done = new LinkedBlockingQueue<>();
  private final AtomicBoolean signalled = new AtomicBoolean();
  private volatile Thread thread;
  private volatile boolean running = true;
  private volatile boolean polling;
  private boolean hungry = true;
  private boolean pollReserved;

  ConsumerLoop(
      LaneSource consumer,
      SlotArbiter arbiter,
      Clock clock,
      Duration pollTimeout,
      Duration shutdownTimeout,
      Duration defaultLock,
      Counters counters,
      TaskThreads taskThreads) {
    this.consumer = consumer;
    this.arbiter = arbiter;
    this.clock = clock;
    this.pollTimeout = pollTimeout;
    this.idlePollTimeout = pollTimeout.compareTo(MAX_WAIT) > 0 ? pollTimeout : MAX_WAIT;
    this.shutdownTimeout = shutdownTimeout;
    this.defaultLock = defaultLock;
    this.counters = counters;
    this.taskThreads = taskThreads;
    arbiter.onPollChance(this::signal);
  }

  Lane lane() {
    return consumer.lane();
  }

  String name() {
    return consumer.name();
  }

  /** Asks the loop to stop taking work, finish or release what it holds, and close. */
  void stop() {
    running = false;
    signal();
    if (polling) {
      consumer.wakeup();
    }
  }

  /** A task of this consumer ended (any thread). */
  @Override
  public void completed(HeldTask task, AcknowledgeType verdict) {
    done.add(new Done(task, verdict));
    signal();
  }

  /**
   * Wakes the loop if it waits (lock-free: task threads call it as each task ends, and a monitor
   * shared with the loop made them queue for it).
   */
  private void signal() {
    if (signalled.compareAndSet(false, true)) {
      Thread waiting = thread;
      if (waiting != null) {
        LockSupport.unpark(waiting);
      }
    }
  }

  @Override
  public void run() {
    thread = Thread.currentThread();
    try {
      while (running) {
        guarded(this::cycle);
      }
      drain();
    } finally {
      close();
    }
  }

  /** The loop's one catch-all: a failed cycle is logged and the loop goes on after a pause. */
  private void guarded(Runnable step) {
    try {
      step.run();
    } catch (WakeupException e) {
      LOG.trace("poll of {} woken up", consumer.name());
    } catch (RuntimeException e) {
      LOG.warn(
          "consumer {} cycle failed; retrying in {} ms",
          consumer.name(),
          ERROR_PAUSE.toMillis(),
          e);
      await(ERROR_PAUSE);
    }
  }

  private void cycle() {
    applyDone();
    shedSurplus();
    renewDueLocks();
    if (!held.isEmpty() && allRenewing()) {
      pollRenewals();
    } else if (held.isEmpty() && startPoll()) {
      pollNew();
    } else {
      await(nextWait());
    }
  }

  // ---- taking new work ----

  private boolean startPoll() {
    boolean reserved = pollReserved;
    pollReserved = false;
    return arbiter.tryStartPoll(consumer.lane(), hungry || reserved, reserved);
  }

  /**
   * A hungry consumer (its last poll brought records) waits only {@code pollTimeout} for more, so
   * that lower lanes soon know whether this lane has more; one whose partitions were empty waits
   * longer, which costs nothing: the broker answers as soon as records arrive — except in a lane
   * that the rate limiter keeps to one poll at a time ({@link SlotArbiter#shortIdlePolls}), where
   * its wait would be every other consumer's.
   */
  private void pollNew() {
    List<HeldTask> fresh = List.of();
    boolean wasHungry = hungry;
    try {
      boolean brief = wasHungry || arbiter.shortIdlePolls(consumer.lane());
      fresh = take(poll(brief ? pollTimeout : idlePollTimeout));
    } finally {
      hungry = !fresh.isEmpty();
      arbiter.pollFinished(consumer.lane(), wasHungry, fresh);
    }
  }

  private ConsumerRecords<String, byte[]> poll(Duration timeout) {
    polling = true;
    try {
      if (!running) {
        return ConsumerRecords.empty();
      }
      return consumer.poll(timeout);
    } finally {
      polling = false;
    }
  }

  /** Returns renewed records to their holders; returns the new ones, now held. */
  private List<HeldTask> take(ConsumerRecords<String, byte[]> records) {
    List<HeldTask> fresh = new ArrayList<>();
    Instant now = clock.instant();
    for (ConsumerRecord<String, byte[]> record : records) {
      LaneConsumer.RecordKey key = LaneConsumer.RecordKey.of(record);
      Holding renewed = held.get(key);
      if (renewed != null) {
        renewed(renewed, record);
      } else {
        HeldTask task = new HeldTask(this, key, consumer.lane(), deliveryOf(record, now));
        held.put(key, new Holding(task, record, now));
        fresh.add(task);
        if (task.delivery().deliveryCount() > 1) {
          LOG.debug(
              "task {} delivered again (delivery {}) to {}",
              task.taskKey(),
              task.delivery().deliveryCount(),
              consumer.name());
        }
      }
    }
    return fresh;
  }

  private static Delivery deliveryOf(ConsumerRecord<String, byte[]> record, Instant readAt) {
    return Delivery.read(
        record.topic(),
        record.key(),
        record.value(),
        record.deliveryCount().map(Short::intValue).orElse(1),
        readAt,
        record.headers());
  }

  // ---- finishing work ----

  /** Acknowledges finished tasks and gives their slots back. */
  private void applyDone() {
    Done next;
    boolean acknowledged = false;
    int finished = 0;
    while ((next = done.poll()) != null) {
      acknowledged |= complete(next);
      finished++;
    }
    if (finished == 0) {
      return;
    }
    if (acknowledged && !held.isEmpty()) {
      consumer.flush(); // the others still run: send these acknowledgements now
    }
    boolean reservePoll = running && hungry && held.isEmpty() && !pollReserved;
    pollReserved |= reservePoll;
    arbiter.finished(consumer.lane(), finished, reservePoll);
  }

  private boolean complete(Done done) {
    Holding record = held.get(done.task().key());
    if (record == null || record.task != done.task()) {
      return false; // its lock was given up (renewal lost); another delivery will redo it
    }
    record.verdict = done.verdict();
    if (record.verdict == AcknowledgeType.RELEASE) {
      counters.released.incrementAndGet();
    }
    if (record.renewing) {
      return false; // acknowledged when the renewed record comes back
    }
    acknowledge(record);
    return true;
  }

  private void acknowledge(Holding record) {
    consumer.acknowledge(record.record, record.verdict);
    held.remove(record.task.key());
  }

  /**
   * Gives back the records this consumer read before the rate limiter began to bind and that wait
   * behind their lane's head ({@link SlotArbiter#shed}): in Kafka they go first to whichever
   * instance reads next, instead of waiting here behind each other.
   */
  private void shedSurplus() {
    if (held.isEmpty() || !arbiter.mayShed()) {
      return;
    }
    boolean shed =
        held.values()
            .removeIf(
                record -> {
                  if (record.renewing || record.verdict != null || !arbiter.shed(record.task)) {
                    return false;
                  }
                  consumer.acknowledge(record.record, AcknowledgeType.RELEASE);
                  counters.released.incrementAndGet();
                  LOG.debug(
                      "task {}: read before the rate limiter bound; given back to wait in Kafka",
                      record.task.taskKey());
                  return true;
                });
    if (shed) {
      consumer.flush();
    }
  }

  // ---- keeping locks ----

  private void renewDueLocks() {
    Instant now = clock.instant();
    Duration renewAfter = renewAfter();
    boolean due =
        held.values().stream()
            .anyMatch(
                r ->
                    !r.renewing && r.verdict == null && !now.isBefore(r.lockedAt.plus(renewAfter)));
    if (!due) {
      return;
    }
    for (Holding record : held.values()) {
      if (!record.renewing) {
        consumer.acknowledge(record.record, AcknowledgeType.RENEW);
        record.renewing = true;
        record.renewRequestedAt = now;
        counters.lockRenewals.incrementAndGet();
      }
    }
  }

  /** A lock is renewed after a third of its duration, leaving two thirds for the round trip. */
  private Duration renewAfter() {
    return consumer.lockDuration(defaultLock).dividedBy(3);
  }

  private boolean allRenewing() {
    return held.values().stream().allMatch(record -> record.renewing);
  }

  private void pollRenewals() {
    List<HeldTask> fresh = take(poll(RENEWAL_POLL_WAIT));
    if (!fresh.isEmpty()) {
      LOG.debug("{}: a renewal poll brought {} new record(s)", consumer.name(), fresh.size());
    }
    arbiter.add(consumer.lane(), fresh);
    dropLostRenewals();
  }

  private void renewed(Holding record, ConsumerRecord<String, byte[]> fresh) {
    record.record = fresh;
    record.renewing = false;
    // The broker extended the lock when it took the renewal, not when this poll handed the record
    // back (a renewal can come back one or more polls later): count from the request, or the next
    // renewal may come after the lock is gone and the broker hands the task to someone else.
    record.lockedAt = record.renewRequestedAt;
    if (record.verdict != null) {
      acknowledge(record);
    }
  }

  /** A renewal that did not come back within a lock duration is lost: the broker redelivers. */
  private void dropLostRenewals() {
    Instant limit = clock.instant().minus(consumer.lockDuration(defaultLock));
    held.values()
        .removeIf(
            record -> {
              boolean lost = record.renewing && record.renewRequestedAt.isBefore(limit);
              if (lost) {
                arbiter.withdraw(record.task);
                LOG.warn(
                    "task {}: lock renewal not confirmed; the broker will redeliver it",
                    record.task.taskKey());
              }
              return lost;
            });
  }

  // ---- waiting ----

  private Duration nextWait() {
    Instant now = clock.instant();
    Duration wait = MAX_WAIT;
    Duration renewAfter = renewAfter();
    for (Holding record : held.values()) {
      Duration untilDue =
          record.renewing
              ? RENEWAL_POLL_WAIT
              : Duration.between(now, record.lockedAt.plus(renewAfter));
      if (untilDue.compareTo(wait) < 0) {
        wait = untilDue;
      }
    }
    return wait.isNegative() ? Duration.ZERO : wait;
  }

  private void await(Duration timeout) {
    if (!done.isEmpty() || timeout.isZero()) {
      signalled.set(false);
      return;
    }
    if (!signalled.get()) {
      // a signal after the check leaves its permit: the park then returns at once
      LockSupport.parkNanos(this, Math.max(1, timeout.toNanos()));
      if (Thread.currentThread().isInterrupted()) {
        running = false;
      }
    }
    signalled.set(false);
  }

  // ---- shutting down ----

  /** Releases what never started; lets running tasks finish for up to the shutdown timeout. */
  private void drain() {
    releaseWaiting();
    Instant deadline = clock.instant().plus(shutdownTimeout);
    while (!held.isEmpty() && clock.instant().isBefore(deadline)) {
      guarded(
          () -> {
            applyDone();
            renewDueLocks();
            if (!held.isEmpty() && allRenewing()) {
              pollRenewals();
            } else {
              await(Duration.ofMillis(20));
            }
          });
    }
    releaseRemaining();
  }

  private void releaseWaiting() {
    held.values()
        .removeIf(
            record -> {
              if (!arbiter.withdraw(record.task)) {
                return false;
              }
              if (!record.renewing) {
                consumer.acknowledge(record.record, AcknowledgeType.RELEASE);
              }
              counters.released.incrementAndGet();
              return true;
            });
  }

  private void releaseRemaining() {
    for (Holding record : held.values()) {
      taskThreads.interrupt(record.task);
      if (!record.renewing) {
        consumer.acknowledge(record.record, AcknowledgeType.RELEASE);
      }
      counters.released.incrementAndGet();
      LOG.info("task {} still running at shutdown; released for redelivery", record.task.taskKey());
    }
    held.clear();
  }

  private void close() {
    try {
      consumer.flushSync(CLOSE_TIMEOUT);
    } catch (RuntimeException e) {
      LOG.warn("acknowledgements of {} not confirmed at close: {}", consumer.name(), e.toString());
    }
    try {
      consumer.close(CLOSE_TIMEOUT);
    } catch (RuntimeException e) {
      LOG.warn("consumer {} did not close cleanly: {}", consumer.name(), e.toString());
    }
  }
}
