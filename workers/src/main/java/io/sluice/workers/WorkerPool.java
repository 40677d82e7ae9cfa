package io.sluice.workers;

import io.sluice.providers.Provider;
import io.sluice.providers.pricing.PriceTable;
import io.sluice.ratelimit.RateLimiter;
import io.sluice.workers.internal.PoolAssembly;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
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

  private WorkerPool(WorkerSettings settings, PoolAssembly.Parts parts) {
    this.settings = settings;
    this.parts = parts;
  }

  /**
   * Starts a pool that admits tasks up to {@link WorkerSettings#concurrency()}, pricing calls with
   * {@link PriceTable#defaults()} at the realtime price (as the rate-limited pools do), on the
   * system clock. Creates missing topics and configures the share group first.
   */
  public static WorkerPool start(WorkerSettings settings, Provider provider) {
    return start(
        settings,
        provider,
        Admission.OPEN,
        CostCalculator.realtimePrices(PriceTable.defaults()),
        Clock.systemUTC());
  }

  /**
   * Starts a pool whose provider calls are admitted by a rate limiter shared with the provider's
   * other worker instances (keys {@code (task provider, settings.account(), model)}), pricing calls
   * with {@link PriceTable#defaults()} on the system clock. The pool sends the limiter's heartbeat
   * while it runs and does not close it.
   */
  public static WorkerPool start(WorkerSettings settings, Provider provider, RateLimiter limiter) {
    return start(
        settings,
        provider,
        limiter,
        CostCalculator.realtimePrices(PriceTable.defaults()),
        Clock.systemUTC());
  }

  /** Starts a pool with a rate limiter, a cost calculator and a clock. */
  public static WorkerPool start(
      WorkerSettings settings,
      Provider provider,
      RateLimiter limiter,
      CostCalculator costs,
      Clock clock) {
    Objects.requireNonNull(limiter, "limiter");
    return start(settings, provider, Admission.OPEN, limiter, costs, clock);
  }

  /**
   * Starts a pool with its own {@link Admission} (asked for a slot before each task starts and
   * before each provider call; the settings' concurrency limit applies as well), a cost calculator
   * and a clock.
   */
  public static WorkerPool start(
      WorkerSettings settings,
      Provider provider,
      Admission admission,
      CostCalculator costs,
      Clock clock) {
    return start(settings, provider, admission, null, costs, clock);
  }

  private static WorkerPool start(
      WorkerSettings settings,
      Provider provider,
      Admission admission,
      RateLimiter limiter,
      CostCalculator costs,
      Clock clock) {
    WorkerPool pool =
        new WorkerPool(
            settings, PoolAssembly.assemble(settings, provider, admission, limiter, costs, clock));
    pool.parts.runtime().start(settings.provider());
    LOG.info(
        "worker pool for {} started: group {}, concurrency {}, {} consumer(s) per lane taking up"
            + " to {} records per poll, {}",
        settings.provider(),
        settings.groupId(),
        settings.concurrency(),
        settings.consumersPerLane(),
        settings.recordsPerPoll(),
        limiter == null ? "no rate limiter" : "rate-limited as account " + settings.account());
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
    parts.scaling().close();
    parts.runtime().stop(settings.shutdownTimeout().plus(Duration.ofSeconds(30)));
    parts.sink().close();
    parts.cancels().close();
    parts.counters().closeMeters();
    LOG.info("worker pool for {} stopped: {}", settings.provider(), stats());
  }
}
