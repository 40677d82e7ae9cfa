package io.sluice.workers.internal;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Meter.MeterProvider;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.sluice.observability.Meters;
import io.sluice.providers.ProviderException;
import io.sluice.schemas.task.Task;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * A worker pool's meters (all tagged with the pool's provider; models and lanes are the
 * catalogue's, so tags stay few):
 *
 * <ul>
 *   <li>{@code sluice_provider_calls_total{provider,model,outcome}}: provider calls by outcome
 *       ({@code success}, {@code rate_limited} (HTTP 429), {@code retriable_error}, {@code
 *       permanent_error})
 *   <li>{@code sluice_provider_call_seconds{provider,model}}: provider call latency (histogram)
 *   <li>{@code sluice_provider_rate_limited_total{provider,model}}: 429 answers (a failure of the
 *       limiter: should stay 0)
 *   <li>{@code sluice_task_queued_to_started_seconds{provider,lane}}: from the job's acceptance to
 *       its task's first provider call (histogram)
 *   <li>{@code sluice_task_run_seconds{provider,outcome}}: from the first call to the published
 *       result, retries included (histogram)
 *   <li>{@code sluice_ratelimit_wait_seconds{provider}}: from reading a task to its admission by
 *       the pool's slots and the rate limiter (histogram)
 *   <li>{@code sluice_ratelimit_deferred_total{provider}}: times the limiter said "not yet"
 *   <li>{@code sluice_worker_tasks_total{provider,outcome}}, {@code
 *       sluice_worker_tasks_in_flight{provider}}, {@code sluice_worker_retries_total{provider}},
 *       {@code sluice_worker_repairs_total{provider}}: the pool's {@link Counters}, read at scrape
 *       time
 * </ul>
 */
public final class WorkerMetrics implements AutoCloseable {
  private static final Duration MIN_EXPECTED = Duration.ofMillis(1);
  private static final Duration MAX_EXPECTED = Duration.ofHours(1);

  private final MeterRegistry registry;
  private final String provider;
  private final MeterProvider<Counter> calls;
  private final MeterProvider<Timer> callTime;
  private final MeterProvider<Counter> rateLimited;
  private final MeterProvider<Timer> queuedToStarted;
  private final MeterProvider<Timer> runTime;
  private final Timer limiterWait;
  private final List<Meter> bound = new ArrayList<>();

  public WorkerMetrics(MeterRegistry registry, String provider) {
    this.registry = registry;
    this.provider = provider;
    calls =
        Counter.builder("sluice.provider.calls")
            .description("Provider calls by model and outcome")
            .tag("provider", provider)
            .withRegistry(registry);
    callTime = histogram("sluice.provider.call", "Provider call latency").withRegistry(registry);
    rateLimited =
        Counter.builder("sluice.provider.rate.limited")
            .description("Provider answers with HTTP 429 (should stay 0)")
            .tag("provider", provider)
            .withRegistry(registry);
    queuedToStarted =
        histogram("sluice.task.queued.to.started", "From job acceptance to the first call")
            .withRegistry(registry);
    runTime =
        histogram("sluice.task.run", "From the first call to the published result")
            .withRegistry(registry);
    limiterWait =
        histogram("sluice.ratelimit.wait", "From reading a task to its admission")
            .register(registry);
  }

  /** Meters that keep nothing, for pools assembled in tests. */
  static WorkerMetrics none(String provider) {
    return new WorkerMetrics(Meters.none(), provider);
  }

  private Timer.Builder histogram(String name, String description) {
    return Timer.builder(name)
        .description(description)
        .tag("provider", provider)
        .publishPercentileHistogram()
        .minimumExpectedValue(MIN_EXPECTED)
        .maximumExpectedValue(MAX_EXPECTED);
  }

  /** Reads the pool's counters at scrape time (nothing added to the task path). */
  void bind(Counters counters) {
    taskCount(counters, "succeeded", c -> c.succeeded.get());
    taskCount(counters, "failed", c -> c.failed.get());
    taskCount(counters, "cancelled", c -> c.cancelled.get());
    taskCount(counters, "dead_lettered", c -> c.deadLettered.get());
    taskCount(counters, "released", c -> c.released.get());
    bound.add(
        FunctionCounter.builder("sluice.worker.retries", counters, c -> c.retries.get())
            .description("Provider calls repeated after a retriable failure")
            .tag("provider", provider)
            .register(registry));
    bound.add(
        FunctionCounter.builder("sluice.worker.repairs", counters, c -> c.repairs.get())
            .description("Repair calls made because an output did not satisfy its response schema")
            .tag("provider", provider)
            .register(registry));
    bound.add(
        FunctionCounter.builder("sluice.ratelimit.deferred", counters, c -> c.deferred.get())
            .description("Times the rate limiter said not yet to a task's first call")
            .tag("provider", provider)
            .register(registry));
    bound.add(
        Gauge.builder("sluice.worker.tasks.in.flight", counters, c -> c.inFlight.get())
            .description("Tasks being processed now")
            .tag("provider", provider)
            .register(registry));
  }

  private void taskCount(Counters counters, String outcome, ToDoubleFunction<Counters> count) {
    bound.add(
        FunctionCounter.builder("sluice.worker.tasks", counters, count)
            .description("Tasks the pool finished, by outcome")
            .tag("provider", provider)
            .tag("outcome", outcome)
            .register(registry));
  }

  void call(Task task, long nanos, ProviderException failure) {
    String model = task.request().model();
    String outcome = outcome(failure);
    calls.withTags("model", model, "outcome", outcome).increment();
    callTime.withTags("model", model).record(nanos, TimeUnit.NANOSECONDS);
    if (failure != null && failure.isRateLimited()) {
      rateLimited.withTags("model", model).increment();
    }
  }

  private static String outcome(ProviderException failure) {
    if (failure == null) {
      return "success";
    }
    if (failure.isRateLimited()) {
      return "rate_limited";
    }
    return failure.isRetriable() ? "retriable_error" : "permanent_error";
  }

  void started(Task task, Instant startedAt, Duration waited) {
    limiterWait.record(waited);
    if (task.createdAt() != null) {
      queuedToStarted
          .withTags("lane", task.lane().topicSegment())
          .record(
              startedAt.toEpochMilli() - task.createdAt().toEpochMilli(), TimeUnit.MILLISECONDS);
    }
  }

  void finished(String outcome, Instant startedAt, Instant finishedAt) {
    if (startedAt != null) {
      runTime
          .withTags("outcome", outcome)
          .record(finishedAt.toEpochMilli() - startedAt.toEpochMilli(), TimeUnit.MILLISECONDS);
    }
  }

  /** Removes the meters bound to this pool's counters (a closed pool's counts stop). */
  @Override
  public void close() {
    bound.forEach(registry::remove);
  }
}
