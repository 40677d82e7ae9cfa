package io.sluice.ratelimit.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.sluice.ratelimit.Admission;
import io.sluice.ratelimit.Demand;
import io.sluice.ratelimit.LimitKey;
import io.sluice.ratelimit.LimiterSettings;
import io.sluice.ratelimit.Meter;
import io.sluice.ratelimit.RateLimiter;
import io.sluice.ratelimit.RateLimits;
import io.sluice.ratelimit.Step;
import io.sluice.ratelimit.WindowCheck;
import io.sluice.schemas.job.TokenUsage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Several limiter instances and threads hammer one limit in a real PostgreSQL. */
class PostgresSharedLimitTest {
  private static final Logger LOG = LoggerFactory.getLogger(PostgresSharedLimitTest.class);
  private static final Duration SECOND = Duration.ofSeconds(1);
  private static final RateLimits LIMITS =
      RateLimits.builder()
          .bucket(Meter.REQUESTS, 100, SECOND)
          .bucket(Meter.TOKENS, 10_000, SECOND)
          .build();

  private static HikariDataSource pool;
  private static PostgresLimitStore store;

  @BeforeAll
  static void startDatabase() {
    pool = PostgresTestDatabase.newMigratedPool(8);
    store = new PostgresLimitStore(pool);
  }

  @AfterAll
  static void closePool() {
    pool.close();
  }

  private static RateLimiter limiter(LimitKey key, String instanceId) {
    // one-second buckets model a provider that counts each call at its admission (no call delay)
    return RateLimiter.builder()
        .store(store)
        .instanceId(instanceId)
        .limits(key, LIMITS)
        .settings(LimiterSettings.defaults().withCallDelay(Duration.ZERO))
        .build();
  }

  @Test
  void shouldKeepThreeInstancesHammeringOneLimitWithinItInEveryWindowAndUseItFully()
      throws Exception {
    LimitKey key = new LimitKey("openai", "hammer", "gpt-4o-mini");
    List<RateLimiter> limiters =
        List.of(limiter(key, "worker-1"), limiter(key, "worker-2"), limiter(key, "worker-3"));
    WindowCheck requests = new WindowCheck();
    WindowCheck tokens = new WindowCheck();
    List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
    Instant deadline = Instant.now().plusMillis(1_500);
    ExecutorService threads = Executors.newFixedThreadPool(6);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 6; t++) {
        RateLimiter limiter = limiters.get(t % 3);
        done.add(threads.submit(() -> hammer(limiter, key, deadline, requests, tokens, latencies)));
      }
      for (Future<?> future : done) {
        future.get();
      }
    } finally {
      threads.shutdownNow();
      limiters.forEach(RateLimiter::close);
    }

    List<Long> sorted = latencies.stream().sorted().toList();
    LOG.info(
        "{} admission steps on PostgreSQL: p50 {} µs, p99 {} µs; {} requests admitted",
        sorted.size(),
        sorted.get(sorted.size() / 2) / 1_000,
        sorted.get(sorted.size() * 99 / 100) / 1_000,
        requests.total());
    assertThat(requests.violation(100, SECOND)).isEmpty();
    assertThat(tokens.violation(10_000, SECOND)).isEmpty();
    // A full bucket (100) plus 1.5 s of refill (150): nearly all of it is used.
    assertThat(requests.total()).isGreaterThanOrEqualTo(200);
  }

  @Test
  void shouldAdmitABurstOfManyThreadsPerInstanceWithoutLosingTheStore() throws Exception {
    // The start of a saturation run: 3 worker processes with 64 threads each ask at once, each
    // process through a pool of 4 connections. Their steps must queue up in the process, not on
    // the row lock, or the lock timeout sends every instance into its local fallback.
    LimitKey key = new LimitKey("openai", "burst", "gpt-4o-mini");
    RateLimits large =
        RateLimits.builder()
            .bucket(Meter.REQUESTS, 10_000, Duration.ofMinutes(1))
            .bucket(Meter.TOKENS, 2_000_000, Duration.ofMinutes(1))
            .build();
    List<HikariDataSource> pools = new ArrayList<>();
    List<RateLimiter> limiters = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      HikariDataSource instancePool = PostgresTestDatabase.poolOn(pool, 4);
      pools.add(instancePool);
      limiters.add(
          RateLimiter.builder()
              .store(new PostgresLimitStore(instancePool))
              .instanceId("burst-" + i)
              .limits(key, large)
              .build());
    }
    List<Admission> answers = Collections.synchronizedList(new ArrayList<>());
    ExecutorService threads = Executors.newFixedThreadPool(192);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < 192; t++) {
        RateLimiter limiter = limiters.get(t % 3);
        done.add(threads.submit(() -> callRepeatedly(limiter, key, 10, answers)));
      }
      for (Future<?> future : done) {
        future.get();
      }
      assertThat(limiters).noneMatch(limiter -> limiter.inFallback(key));
    } finally {
      threads.shutdownNow();
      limiters.forEach(RateLimiter::close);
      pools.forEach(HikariDataSource::close);
    }

    assertThat(answers).hasSize(1_920).allMatch(Admission::isGranted);
  }

  @Test
  void shouldDeferRatherThanWaitWhenTheDatabaseKeepsTheLimitLocked() throws Exception {
    LimitKey key = new LimitKey("openai", "locked", "gpt-4o-mini");
    RateLimiter limiter = limiter(key, "worker-1");
    limiter.heartbeat();
    try (Connection stuck = pool.getConnection()) {
      stuck.setAutoCommit(false);
      try (PreparedStatement lock =
          stuck.prepareStatement(
              "SELECT state FROM rate_limiter.limit_state WHERE limit_key = ? FOR UPDATE")) {
        lock.setString(1, key.asString());
        lock.executeQuery().close();
      }
      long started = System.nanoTime();

      Admission admission = limiter.tryReserve(key, Demand.ofCall(10, 10));

      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
      assertThat(admission).isInstanceOf(Admission.Deferred.class);
      assertThat(((Admission.Deferred) admission).blockedBy()).isEqualTo("store-unavailable");
      stuck.rollback();
    }
    assertThat(store.update(key, state -> Step.of(state)).next().members()).containsKey("worker-1");
  }

  /**
   * Reserves and settles {@code calls} small calls one after the other, as a worker thread does.
   */
  private static void callRepeatedly(
      RateLimiter limiter, LimitKey key, int calls, List<Admission> answers) {
    for (int i = 0; i < calls; i++) {
      Admission admission = limiter.tryReserve(key, Demand.ofCall(500, 100));
      answers.add(admission);
      if (admission instanceof Admission.Granted granted) {
        limiter.reconcile(granted.reservation(), new TokenUsage(480, 90));
      }
    }
  }

  private static void hammer(
      RateLimiter limiter,
      LimitKey key,
      Instant deadline,
      WindowCheck requests,
      WindowCheck tokens,
      List<Long> latencies) {
    while (Instant.now().isBefore(deadline)) {
      long amount = ThreadLocalRandom.current().nextLong(1, 100);
      long started = System.nanoTime();
      Admission admission = limiter.tryReserve(key, Demand.ofCall(amount, 0));
      latencies.add(System.nanoTime() - started);
      if (admission instanceof Admission.Granted granted) {
        requests.add(granted.reservation().admittedAt(), 1);
        tokens.add(granted.reservation().admittedAt(), amount);
        limiter.keepCharged(granted.reservation());
      }
    }
  }
}
