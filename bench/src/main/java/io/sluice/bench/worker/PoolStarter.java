package io.sluice.bench.worker;

import io.sluice.providers.Provider;
import io.sluice.ratelimit.RateLimiter;
import io.sluice.workers.WorkerPool;
import io.sluice.workers.WorkerSettings;
import io.sluice.workers.WorkerStats;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** The one place that knows how a worker pool is started with the rate limiter. */
final class PoolStarter {
  private PoolStarter() {}

  static WorkerSettings settings(WorkerArgs args) {
    return WorkerSettings.builder(args.bootstrap(), args.topicPrefix(), args.kind().configName())
        .concurrency(args.concurrency())
        .consumersPerLane(args.consumersPerLane())
        .shutdownTimeout(Duration.ofSeconds(3))
        .topics(6, (short) 1)
        .build();
  }

  /** Starts the pool; without the rate-limiter wiring in workers, {@code limiter} is unused. */
  static WorkerPool start(WorkerSettings settings, Provider provider, RateLimiter limiter) {
    return WorkerPool.start(settings, provider);
  }

  /** Whether the pool really uses the limiter (false until workers has the wiring). */
  static boolean limiterWired() {
    return false;
  }

  static Map<String, Object> stats(WorkerStats stats) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("succeeded", stats.succeeded());
    json.put("failed", stats.failed());
    json.put("retries", stats.retries());
    json.put("dead_lettered", stats.deadLettered());
    json.put("released", stats.released());
    json.put("in_flight", stats.inFlight());
    return json;
  }
}
