package io.sluice.workers.internal;

import io.sluice.lifecycle.BackgroundLoop;
import io.sluice.ratelimit.RateLimiter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running machinery of a pool: one thread per consumer ({@link ConsumerLoop}), the {@link
 * SlotArbiter} that starts held tasks on virtual threads ({@link TaskThreads}), a timer that wakes
 * deferred work when its deferral ends ({@link DeferralWakes}), and a ticker ({@link
 * BackgroundLoop}, every second) that sends the rate limiter's heartbeat.
 */
public final class PoolRuntime {
  private static final Logger LOG = LoggerFactory.getLogger(PoolRuntime.class);
  private static final Duration TICK = Duration.ofSeconds(1);

  /** Takes one delivery to its outcome ({@link TaskProcessor#handle} in a pool). */
  @FunctionalInterface
  interface TaskHandler {
    /**
     * @param waits told when a call of the task is admitted (before the call) and when a started
     *     task waits for the rate limiter again
     */
    TaskProcessor.Outcome handle(Delivery delivery, TaskProcessor.LimiterWaits waits);
  }

  private final SlotArbiter arbiter;
  private final List<ConsumerLoop> loops = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private final TaskHandler handler;
  private final RateLimiter limiter;
  private final Clock clock;
  private final Duration maxDeferralHold;
  private final int deliveryLimit;
  private final Counters counters;
  private final TaskThreads taskThreads = new TaskThreads();
  private final ScheduledExecutorService deferralTimer =
      Executors.newSingleThreadScheduledExecutor(
          Thread.ofPlatform().daemon().name("sluice-workers-deferrals").factory());
  private final DeferralWakes wakes;
  private BackgroundLoop ticker;

  PoolRuntime(
      SlotArbiter.Settings slots,
      TaskHandler handler,
      RateLimiter limiter,
      Clock clock,
      Duration maxDeferralHold,
      int deliveryLimit,
      Counters counters) {
    this.handler = handler;
    this.limiter = limiter;
    this.clock = clock;
    this.maxDeferralHold = maxDeferralHold;
    this.deliveryLimit = deliveryLimit;
    this.counters = counters;
    this.arbiter = slots.arbiter(clock, this::launch, this::mayRelease);
    this.wakes = new DeferralWakes(deferralTimer, clock, arbiter::deferralEnded);
  }

  SlotArbiter arbiter() {
    return arbiter;
  }

  TaskThreads taskThreads() {
    return taskThreads;
  }

  void add(ConsumerLoop loop) {
    loops.add(loop);
  }

  /** Starts every consumer thread and the ticker. */
  public void start(String provider) {
    for (ConsumerLoop loop : loops) {
      Thread thread = Thread.ofPlatform().name("sluice-" + loop.name()).unstarted(loop);
      threads.add(thread);
      thread.start();
    }
    ticker =
        new BackgroundLoop(
                "ticker of the " + provider + " workers",
                BackgroundLoop.Settings.idleWait(TICK)
                    .withBackoff(TICK, TICK.multipliedBy(10))
                    .withStopTimeout(Duration.ofSeconds(2)),
                this::tick)
            .start();
  }

  /**
   * Every second: gives held tasks a chance to start and consumers a chance to poll (a safety net:
   * every change that frees a slot or ends a deferral already does this), then heartbeats the rate
   * limiter.
   */
  BackgroundLoop.Next tick() {
    arbiter.deferralEnded();
    if (limiter != null) {
      limiter.heartbeat();
    }
    return BackgroundLoop.Next.IDLE;
  }

  /** Stops taking work, lets tasks finish for the shutdown timeout, releases the rest, closes. */
  public void stop(Duration joinTimeout) {
    arbiter.stop();
    loops.forEach(ConsumerLoop::stop);
    deferralTimer.shutdownNow();
    Instant deadline = Instant.now().plus(joinTimeout);
    for (Thread thread : threads) {
      join(thread, Duration.between(Instant.now(), deadline));
    }
    if (ticker != null) {
      ticker.close();
    }
  }

  private static void join(Thread thread, Duration timeout) {
    try {
      thread.join(timeout.isNegative() ? Duration.ofMillis(1) : timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void launch(HeldTask task) {
    counters.inFlight.incrementAndGet();
    taskThreads.start(
        task,
        () -> {
          try {
            finish(task, handler.handle(task.delivery(), arbiter.waitsOf(task)));
          } catch (RuntimeException | Error e) {
            arbiter.settled(task);
            throw e;
          } finally {
            counters.inFlight.decrementAndGet();
          }
        });
  }

  /**
   * A task's outcome goes back to its consumer to be acknowledged; a deferred one waits in the
   * arbiter until its {@code notBefore}, or is released when that is too far ahead to hold its
   * record — unless the record is on its last delivery but one: every release counts as a delivery,
   * and a task must not end as poison ({@link TaskProcessor}'s delivery limit) because the account
   * was busy. That delivery holds the record, its lock renewed, until the limiter admits it; the
   * last one stays for a crash.
   */
  void finish(HeldTask task, TaskProcessor.Outcome outcome) {
    if (outcome.verdict() != TaskProcessor.Verdict.DEFER) {
      arbiter.settled(task);
      task.owner().completed(task, ackType(outcome.verdict()));
      return;
    }
    Duration wait = Duration.between(clock.instant(), outcome.notBefore());
    if (mayRelease(task) && wait.compareTo(maxDeferralHold) > 0) {
      LOG.info(
          "task {}: rate limit admits it only at {}; released for later",
          task.taskKey(),
          outcome.notBefore());
      arbiter.releasedForLater(task);
      task.owner().completed(task, AcknowledgeType.RELEASE);
      return;
    }
    arbiter.deferred(task, outcome.notBefore());
    wakes.wakeAt(outcome.notBefore());
  }

  /**
   * Whether a task's record may go back to Kafka because the account is busy: not on its last
   * delivery but one, since every release counts as a delivery and a task must not end as poison
   * because it waited for the rate limiter.
   */
  private boolean mayRelease(HeldTask task) {
    return task.delivery().deliveryCount() < deliveryLimit - 1;
  }

  static AcknowledgeType ackType(TaskProcessor.Verdict verdict) {
    return switch (verdict) {
      case ACCEPT -> AcknowledgeType.ACCEPT;
      case REJECT -> AcknowledgeType.REJECT;
      case RELEASE, DEFER -> AcknowledgeType.RELEASE;
    };
  }
}
