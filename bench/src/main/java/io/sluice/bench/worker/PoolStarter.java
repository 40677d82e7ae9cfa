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
        .account(args.account())
        .concurrency(args.concurrency())
        .recordsPerPoll(args.recordsPerPoll())
        .inputTokenEstimate(args.inputTokenEstimate())
        .shutdownTimeout(Duration.ofSeconds(3))
        .topics(6, (short) 1)
        .build();
  }

  /** Starts the pool with the shared rate limiter (the pool sends its heartbeats). */
  static WorkerPool start(WorkerSettings settings, Provider provider, RateLimiter limiter) {
    return WorkerPool.start(settings, provider, limiter);
  }

  /** Whether the pool really uses the limiter. */
  static boolean limiterWired() {
    return true;
  }

  static Map<String, Object> stats(WorkerStats stats) {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("succeeded", stats.succeeded());
    json.put("failed", stats.failed());
    json.put("retries", stats.retries());
    json.put("dead_lettered", stats.deadLettered());
    json.put("released", stats.released());
    json.put("lock_renewals", stats.lockRenewals());
    json.put("in_flight", stats.inFlight());
    json.put("rate_limited", stats.rateLimited());
    json.put("admitted", stats.admitted());
    json.put("deferred", stats.deferred());
    json.put("limiter_wait_p50_ms", millis(stats.limiterWaitP50()));
    json.put("limiter_wait_p99_ms", millis(stats.limiterWaitP99()));
    return json;
  }

  private static double millis(Duration duration) {
    return duration == null ? -1 : duration.toNanos() / 1e6;
  }
}
