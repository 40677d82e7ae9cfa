package io.sluice.workers.internal;

import io.sluice.ratelimit.RateLimiter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The running machinery of a pool: one thread per consumer ({@link ConsumerLoop}), the {@link
 * SlotArbiter} that starts held records on virtual threads, and a ticker that wakes deferred work
 * and sends the rate limiter's heartbeat about every second.
 */
public final class PoolRuntime {
  private static final Logger LOG = LoggerFactory.getLogger(PoolRuntime.class);
  private static final Duration HEARTBEAT = Duration.ofSeconds(1);

  private final SlotArbiter arbiter;
  private final List<ConsumerLoop> loops = new ArrayList<>();
  private final List<Thread> threads = new ArrayList<>();
  private final TaskProcessor processor;
  private final RateLimiter limiter;
  private final Clock clock;
  private final Duration maxDeferralHold;
  private final Counters counters;
  private final ThreadFactory taskThreads = Thread.ofVirtual().name("sluice-task-", 0).factory();
  private volatile boolean running = true;
  private Thread ticker;

  PoolRuntime(
      SlotArbiter.Settings slots,
      TaskProcessor processor,
      RateLimiter limiter,
      Clock clock,
      Duration maxDeferralHold,
      Counters counters) {
    this.processor = processor;
    this.limiter = limiter;
    this.clock = clock;
    this.maxDeferralHold = maxDeferralHold;
    this.counters = counters;
    this.arbiter = slots.arbiter(clock, this::launch);
  }

  SlotArbiter arbiter() {
    return arbiter;
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
    ticker = Thread.ofVirtual().name("sluice-workers-ticker-" + provider).start(this::tick);
  }

  /** Stops taking work, lets tasks finish for the shutdown timeout, releases the rest, closes. */
  public void stop(Duration joinTimeout) {
    running = false;
    arbiter.stop();
    loops.forEach(ConsumerLoop::stop);
    LockSupport.unpark(ticker);
    Instant deadline = Instant.now().plus(joinTimeout);
    for (Thread thread : threads) {
      join(thread, Duration.between(Instant.now(), deadline));
    }
    join(ticker, Duration.ofSeconds(2));
  }

  private static void join(Thread thread, Duration timeout) {
    try {
      thread.join(timeout.isNegative() ? Duration.ofMillis(1) : timeout);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void launch(HeldRecord record) {
    counters.inFlight.incrementAndGet();
    record.thread =
        taskThreads.newThread(
            () -> {
              try {
                finish(record, processor.handle(record.delivery));
              } finally {
                counters.inFlight.decrementAndGet();
              }
            });
    record.thread.start();
  }

  private void finish(HeldRecord record, TaskProcessor.Outcome outcome) {
    if (outcome.verdict() != TaskProcessor.Verdict.DEFER) {
      record.owner.completed(record, ackType(outcome.verdict()));
      return;
    }
    if (Duration.between(clock.instant(), outcome.notBefore()).compareTo(maxDeferralHold) > 0) {
      LOG.info(
          "task {}: rate limit admits it only at {}; released for later",
          record.taskKey(),
          outcome.notBefore());
      record.owner.completed(record, AcknowledgeType.RELEASE);
    } else {
      arbiter.deferred(record, outcome.notBefore());
    }
    LockSupport.unpark(ticker);
  }

  private static AcknowledgeType ackType(TaskProcessor.Verdict verdict) {
    return switch (verdict) {
      case ACCEPT -> AcknowledgeType.ACCEPT;
      case REJECT -> AcknowledgeType.REJECT;
      case RELEASE, DEFER -> AcknowledgeType.RELEASE;
    };
  }

  /** Wakes deferred work when its time comes; heartbeats the limiter every second. */
  private void tick() {
    Instant nextHeartbeat = clock.instant();
    while (running) {
      Instant now = clock.instant();
      if (!now.isBefore(nextHeartbeat)) {
        heartbeat();
        nextHeartbeat = now.plus(HEARTBEAT);
      }
      Instant deferralEnd = arbiter.nextDeferralEnd();
      arbiter.dispatch();
      arbiter.pollChanceNow();
      Instant wakeAt =
          deferralEnd != null && deferralEnd.isBefore(nextHeartbeat) ? deferralEnd : nextHeartbeat;
      long nanos = Duration.between(clock.instant(), wakeAt).toNanos();
      if (nanos > 0) {
        LockSupport.parkNanos(nanos);
      }
    }
  }

  private void heartbeat() {
    if (limiter == null) {
      return;
    }
    try {
      limiter.heartbeat();
    } catch (RuntimeException e) {
      LOG.warn("rate limiter heartbeat failed ({}); trying again in 1 s", e.toString());
    }
  }
}
