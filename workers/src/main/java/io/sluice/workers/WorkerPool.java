package io.sluice.workers;

import io.sluice.providers.Provider;
import io.sluice.workers.internal.PoolAssembly;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running worker pool for one provider: consumes the provider's realtime lanes from a Kafka share
 * group, highest lane first, calls the provider for each task, publishes the task's result and then
 * acknowledges it. {@link #close()} stops polling, lets in-flight tasks finish for up to the
 * shutdown timeout and releases the rest for redelivery.
 */
public final class WorkerPool implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerPool.class);

  private final WorkerSettings settings;
  private final PoolAssembly.Parts parts;
  private final Thread pollThread;

  private WorkerPool(WorkerSettings settings, PoolAssembly.Parts parts) {
    this.settings = settings;
    this.parts = parts;
    this.pollThread =
        Thread.ofPlatform().name("sluice-workers-" + settings.provider()).unstarted(parts.loop());
  }

  /**
   * Starts a pool that admits tasks up to {@link WorkerSettings#concurrency()} and records no cost.
   * Creates missing topics and configures the share group first.
   */
  public static WorkerPool start(WorkerSettings settings, Provider provider) {
    return start(
        settings,
        provider,
        Admission.upTo(settings.concurrency()),
        CostCalculator.UNKNOWN,
        Clock.systemUTC());
  }

  /**
   * Starts a pool with a further admission gate (e.g. the rate limiter; the settings' concurrency
   * limit applies as well), a cost calculator and a clock.
   */
  public static WorkerPool start(
      WorkerSettings settings,
      Provider provider,
      Admission admission,
      CostCalculator costs,
      Clock clock) {
    WorkerPool pool =
        new WorkerPool(
            settings, PoolAssembly.assemble(settings, provider, admission, costs, clock));
    pool.pollThread.start();
    LOG.info(
        "worker pool for {} started: group {}, concurrency {}, {} consumer(s) per lane",
        settings.provider(),
        settings.groupId(),
        settings.concurrency(),
        settings.consumersPerLane());
    return pool;
  }

  /** Counters since start. */
  public WorkerStats stats() {
    return parts.counters().snapshot();
  }

  public WorkerSettings settings() {
    return settings;
  }

  /** Stops polling, finishes or releases in-flight tasks, closes the consumers and the producer. */
  @Override
  public void close() {
    parts.loop().stop();
    try {
      pollThread.join(settings.shutdownTimeout().plus(Duration.ofSeconds(30)));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    parts.sink().close();
    LOG.info("worker pool for {} stopped: {}", settings.provider(), stats());
  }
}
