package io.sluice.workers.internal;

import io.sluice.workers.Admission;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that owns every share consumer of a pool: it polls lanes in priority order while
 * {@link Admission} has room, starts each task on a virtual thread, renews the locks of long tasks,
 * and acknowledges each record once its task's outcome comes back. See the module README for the
 * protocol.
 */
public final class PollLoop implements Runnable {
  private static final Logger LOG = LoggerFactory.getLogger(PollLoop.class);
  private static final Duration MAX_IDLE_WAIT = Duration.ofMillis(200);
  private static final Duration RENEWAL_POLL_WAIT = Duration.ofMillis(5);
  private static final Duration ERROR_PAUSE = Duration.ofSeconds(1);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);

  private record Completion(InFlightTask task, TaskProcessor.Verdict verdict) {}

  private final List<List<LaneConsumer>> lanes;
  private final int[] rotation;
  private final Admission admission;
  private final TaskProcessor processor;
  private final Clock clock;
  private final Duration pollTimeout;
  private final Duration shutdownTimeout;
  private final Duration defaultLock;
  private final Counters counters;
  private final BlockingQueue<Completion> completions = new LinkedBlockingQueue<>();
  private final ThreadFactory taskThreads = Thread.ofVirtual().name("sluice-task-", 0).factory();
  private volatile boolean running = true;
  private volatile LaneConsumer polling;

  PollLoop(
      List<List<LaneConsumer>> lanesByPriority,
      Admission admission,
      TaskProcessor processor,
      Clock clock,
      Duration pollTimeout,
      Duration shutdownTimeout,
      Duration defaultLock,
      Counters counters) {
    this.lanes = lanesByPriority;
    this.rotation = new int[lanesByPriority.size()];
    this.admission = admission;
    this.processor = processor;
    this.clock = clock;
    this.pollTimeout = pollTimeout;
    this.shutdownTimeout = shutdownTimeout;
    this.defaultLock = defaultLock;
    this.counters = counters;
  }

  /** Asks the loop to stop taking work, finish or release what it holds, and close. */
  public void stop() {
    running = false;
    wake();
  }

  @Override
  public void run() {
    try {
      while (running) {
        guarded(this::cycle);
      }
      drain();
    } finally {
      closeConsumers();
    }
  }

  /** The loop's one catch-all: a failed cycle is logged and the loop goes on after a pause. */
  private void guarded(Runnable step) {
    try {
      step.run();
    } catch (WakeupException e) {
      LOG.trace("poll woken up by a finished task");
    } catch (RuntimeException e) {
      LOG.warn("worker poll cycle failed; retrying in {} ms", ERROR_PAUSE.toMillis(), e);
      waitForCompletion(ERROR_PAUSE);
    }
  }

  private void cycle() {
    applyCompletions();
    renewDueLocks();
    pollRenewals();
    if (!fill()) {
      waitForCompletion(idleWait());
    }
  }

  // ---- taking new work ----

  /**
   * Polls idle consumers, highest lane first, while admission allows. A lower lane is polled only
   * when no consumer of the higher lanes returned a task (the first consumer of each lane is given
   * {@code pollTimeout} to answer). Returns whether it polled at all.
   */
  private boolean fill() {
    boolean polled = false;
    for (int laneIndex = 0; laneIndex < lanes.size(); laneIndex++) {
      List<LaneConsumer> idle = idleConsumers(laneIndex);
      int taken = 0;
      for (int i = 0; i < idle.size(); i++) {
        LaneConsumer consumer = idle.get(i);
        if (!admission.tryAcquire(consumer.lane)) {
          return polled;
        }
        ConsumerRecords<String, byte[]> records;
        try {
          records = poll(consumer, i == 0 ? pollTimeout : Duration.ZERO);
        } catch (RuntimeException e) {
          admission.release(consumer.lane);
          throw e;
        }
        polled = true;
        int started = take(consumer, records, true);
        if (started == 0) {
          admission.release(consumer.lane);
        }
        taken += started;
      }
      if (taken > 0) {
        return true;
      }
    }
    return polled;
  }

  private List<LaneConsumer> idleConsumers(int laneIndex) {
    List<LaneConsumer> all = lanes.get(laneIndex);
    int start = Math.floorMod(rotation[laneIndex]++, all.size());
    List<LaneConsumer> idle = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      LaneConsumer consumer = all.get((start + i) % all.size());
      if (consumer.idle()) {
        idle.add(consumer);
      }
    }
    return idle;
  }

  private ConsumerRecords<String, byte[]> poll(LaneConsumer consumer, Duration timeout) {
    polling = consumer;
    try {
      return consumer.poll(timeout);
    } finally {
      polling = null;
    }
  }

  /**
   * Handles what a poll returned: a renewed record goes back to its running task; a new record
   * starts a task (using the slot acquired before the poll, else a fresh one) or, with no room, is
   * released for another worker. Returns how many tasks were started.
   */
  private int take(
      LaneConsumer consumer, ConsumerRecords<String, byte[]> records, boolean slotHeld) {
    int started = 0;
    for (ConsumerRecord<String, byte[]> record : records) {
      InFlightTask renewed = consumer.held.get(LaneConsumer.RecordKey.of(record));
      if (renewed != null) {
        renewed(renewed, record);
      } else if (slotHeld || admission.tryAcquire(consumer.lane)) {
        slotHeld = false;
        start(consumer, record);
        started++;
      } else {
        consumer.acknowledge(record, AcknowledgeType.RELEASE);
        consumer.flush();
        counters.released.incrementAndGet();
      }
    }
    return started;
  }

  private void start(LaneConsumer consumer, ConsumerRecord<String, byte[]> record) {
    InFlightTask task = new InFlightTask(consumer, record, clock.instant());
    consumer.held.put(task.key, task);
    counters.inFlight.incrementAndGet();
    Delivery delivery =
        new Delivery(
            record.topic(),
            record.key(),
            record.value(),
            record.deliveryCount().map(Short::intValue).orElse(1));
    task.thread =
        taskThreads.newThread(
            () -> {
              TaskProcessor.Verdict verdict = processor.process(delivery);
              completions.add(new Completion(task, verdict));
              wake();
            });
    task.thread.start();
  }

  // ---- finishing work ----

  private void applyCompletions() {
    Completion completion;
    while ((completion = completions.poll()) != null) {
      complete(completion);
    }
  }

  private void complete(Completion completion) {
    InFlightTask task = completion.task();
    counters.inFlight.decrementAndGet();
    admission.release(task.owner.lane);
    if (task.owner.held.get(task.key) != task) {
      return; // its lock was given up (renewal lost); another delivery will redo it
    }
    task.verdict = ackType(completion.verdict());
    if (task.verdict == AcknowledgeType.RELEASE) {
      counters.released.incrementAndGet();
    }
    if (!task.renewing) {
      acknowledge(task);
    }
  }

  private void acknowledge(InFlightTask task) {
    task.owner.acknowledge(task.record, task.verdict);
    task.owner.held.remove(task.key);
    task.owner.flush();
  }

  private static AcknowledgeType ackType(TaskProcessor.Verdict verdict) {
    return switch (verdict) {
      case ACCEPT -> AcknowledgeType.ACCEPT;
      case REJECT -> AcknowledgeType.REJECT;
      case RELEASE -> AcknowledgeType.RELEASE;
    };
  }

  // ---- keeping locks of long tasks ----

  /**
   * Renews the locks of tasks that have run for half the lock duration: acknowledge RENEW now, the
   * next poll of that consumer hands the same record back, which is then acknowledged again.
   */
  private void renewDueLocks() {
    Instant now = clock.instant();
    for (List<LaneConsumer> lane : lanes) {
      for (LaneConsumer consumer : lane) {
        if (renewalDue(consumer, now)) {
          renewAll(consumer, now);
        }
      }
    }
  }

  private boolean renewalDue(LaneConsumer consumer, Instant now) {
    Duration half = consumer.lockDuration(defaultLock).dividedBy(2);
    return consumer.held.values().stream()
        .anyMatch(task -> !task.renewing && !now.isBefore(task.lockedAt.plus(half)));
  }

  private void renewAll(LaneConsumer consumer, Instant now) {
    for (InFlightTask task : consumer.held.values()) {
      if (!task.renewing) {
        consumer.acknowledge(task.record, AcknowledgeType.RENEW);
        task.renewing = true;
        task.renewRequestedAt = now;
        counters.lockRenewals.incrementAndGet();
      }
    }
  }

  private void pollRenewals() {
    for (List<LaneConsumer> lane : lanes) {
      for (LaneConsumer consumer : lane) {
        if (consumer.awaitingRenewal()) {
          take(consumer, poll(consumer, Duration.ZERO), false);
          dropLostRenewals(consumer);
        }
      }
    }
  }

  private void renewed(InFlightTask task, ConsumerRecord<String, byte[]> record) {
    task.record = record;
    task.renewing = false;
    task.lockedAt = clock.instant();
    if (task.verdict != null) {
      acknowledge(task);
    }
  }

  /** A renewal that did not come back within a lock duration is lost: the broker redelivers. */
  private void dropLostRenewals(LaneConsumer consumer) {
    Instant limit = clock.instant().minus(consumer.lockDuration(defaultLock));
    consumer
        .held
        .values()
        .removeIf(
            task -> {
              boolean lost = task.renewing && task.renewRequestedAt.isBefore(limit);
              if (lost) {
                LOG.warn(
                    "task {}: lock renewal not confirmed; the broker will redeliver it",
                    task.taskKey());
              }
              return lost;
            });
  }

  // ---- waiting ----

  private Duration idleWait() {
    Instant now = clock.instant();
    Duration wait = MAX_IDLE_WAIT;
    for (List<LaneConsumer> lane : lanes) {
      for (LaneConsumer consumer : lane) {
        Duration half = consumer.lockDuration(defaultLock).dividedBy(2);
        for (InFlightTask task : consumer.held.values()) {
          Duration untilDue =
              task.renewing ? RENEWAL_POLL_WAIT : Duration.between(now, task.lockedAt.plus(half));
          if (untilDue.compareTo(wait) < 0) {
            wait = untilDue;
          }
        }
      }
    }
    return wait.isNegative() ? Duration.ZERO : wait;
  }

  private void waitForCompletion(Duration timeout) {
    try {
      Completion completion = completions.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (completion != null) {
        complete(completion);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  private void wake() {
    LaneConsumer current = polling;
    if (current != null) {
      current.wakeup();
    }
  }

  // ---- shutting down ----

  /** Lets running tasks finish for up to the shutdown timeout, then releases what is left. */
  private void drain() {
    Instant deadline = clock.instant().plus(shutdownTimeout);
    while (holdsTasks() && clock.instant().isBefore(deadline)) {
      guarded(
          () -> {
            applyCompletions();
            renewDueLocks();
            pollRenewals();
            waitForCompletion(Duration.ofMillis(20));
          });
    }
    releaseRemaining();
  }

  private boolean holdsTasks() {
    return lanes.stream().flatMap(List::stream).anyMatch(consumer -> !consumer.idle());
  }

  private void releaseRemaining() {
    for (List<LaneConsumer> lane : lanes) {
      for (LaneConsumer consumer : lane) {
        for (InFlightTask task : consumer.held.values()) {
          task.thread.interrupt();
          if (!task.renewing) {
            consumer.acknowledge(task.record, AcknowledgeType.RELEASE);
          }
          counters.released.incrementAndGet();
          counters.inFlight.decrementAndGet();
          admission.release(consumer.lane);
          LOG.info("task {} still running at shutdown; released for redelivery", task.taskKey());
        }
        consumer.held.clear();
      }
    }
  }

  private void closeConsumers() {
    for (List<LaneConsumer> lane : lanes) {
      for (LaneConsumer consumer : lane) {
        try {
          consumer.flushSync(CLOSE_TIMEOUT);
        } catch (RuntimeException e) {
          LOG.warn(
              "acknowledgements of {} not confirmed at close: {}", consumer.name, e.toString());
        }
        try {
          consumer.close(CLOSE_TIMEOUT);
        } catch (RuntimeException e) {
          LOG.warn("consumer {} did not close cleanly: {}", consumer.name, e.toString());
        }
      }
    }
  }
}
