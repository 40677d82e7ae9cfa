package io.sluice.workers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.sluice.embedded.PostgresEndpoint;
import io.sluice.embedded.TestInfrastructure;
import io.sluice.providers.CompletionResponse;
import io.sluice.providers.Provider;
import io.sluice.ratelimit.LimitKey;
import io.sluice.ratelimit.RateLimiter;
import io.sluice.ratelimit.RateLimits;
import io.sluice.ratelimit.postgres.PostgresLimitStore;
import io.sluice.schemas.job.CompletionSpec;
import io.sluice.schemas.task.Lane;
import io.sluice.schemas.task.Task;
import io.sluice.schemas.task.TaskOutcome;
import io.sluice.schemas.task.TaskResult;
import io.sluice.schemas.topic.TopicCatalog;
import io.sluice.simulator.MeterRow;
import io.sluice.simulator.ModelLimits;
import io.sluice.simulator.Simulator;
import io.sluice.simulator.SimulatorConfig;
import io.sluice.workers.testing.LaneTraffic;
import io.sluice.workers.testing.SimulatorProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Three worker pools, each with its own rate limiter on one PostgreSQL store (as three processes
 * would be), share one provider limit: the simulator must never answer 429, and what it accepted
 * must fit the limit in every window.
 */
class SharedRateLimitTest {
  private static final Logger LOG = LoggerFactory.getLogger(SharedRateLimitTest.class);
  private static final String MODEL = "gpt-4o-mini";
  private static final long RPM = 120;
  private static final long TPM = 6_000;
  private static final int MAX_TOKENS = 64;
  private static final int TASKS = 90;

  /** One accepted call: when it was answered and the tokens the provider counted for it. */
  private record Call(long nanos, long tokens) {}

  @Test
  void shouldKeepThreePoolsSharingOneLimitWithinItWithoutA429() throws Exception {
    String bootstrap = TestInfrastructure.kafka().bootstrapServers();
    TopicCatalog topics = new TopicCatalog(TestInfrastructure.uniqueName("rl"));
    LimitKey key = new LimitKey("openai", "default", MODEL);
    List<Call> calls = new CopyOnWriteArrayList<>();
    List<AutoCloseable> open = new ArrayList<>();
    SimulatorConfig config =
        SimulatorConfig.builder().limits(MODEL, ModelLimits.openai(RPM, TPM)).build();
    try (Simulator simulator = Simulator.start(config);
        PostgresEndpoint database = TestInfrastructure.newDatabase();
        LaneTraffic traffic = new LaneTraffic(bootstrap, topics, "openai")) {
      List<Task> tasks = new ArrayList<>();
      for (int i = 0; i < TASKS; i++) {
        tasks.add(Tasks.aTask("openai", Lane.STANDARD, "reverse: shared limit task " + i));
      }
      traffic.sendAll(tasks);

      List<WorkerPool> pools = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        HikariDataSource dataSource = pool(database); // one connection pool per "process"
        open.add(dataSource);
        PostgresLimitStore store = new PostgresLimitStore(dataSource);
        store.migrate();
        RateLimiter limiter =
            RateLimiter.builder().store(store).limits(key, RateLimits.openAi(RPM, TPM)).build();
        open.add(limiter);
        WorkerSettings settings =
            WorkerSettings.builder(bootstrap, topics.prefix(), "openai")
                .concurrency(8)
                .shutdownTimeout(Duration.ofSeconds(2))
                .build();
        WorkerPool pool = WorkerPool.start(settings, recording(simulator, calls), limiter);
        pools.add(pool);
        open.add(pool);
      }

      // Delivery is at least once: count tasks with a result, not results.
      await()
          .atMost(Duration.ofSeconds(90))
          .until(
              () -> traffic.results().stream().map(TaskResult::taskId).distinct().count() >= TASKS);

      Map<String, List<TaskResult>> byTask =
          traffic.results().stream().collect(Collectors.groupingBy(TaskResult::taskId));
      assertThat(byTask).hasSize(TASKS);
      assertThat(byTask.values())
          .allSatisfy(
              results ->
                  assertThat(results)
                      .extracting(TaskResult::outcome)
                      .containsOnly(TaskOutcome.SUCCEEDED));
      MeterRow total = simulator.meter().snapshot().total(MODEL);
      // The limiter allows for calls reaching the provider up to its callDelay after admission
      // (the initial burst arrives late: cold HTTP clients and tokenizer), so not a single 429.
      assertThat(total.rateLimited()).isZero();
      assertThat(total.requests()).isEqualTo(calls.size());
      for (MeterRow minute : simulator.meter().snapshot().rows()) {
        // a continuously refilling bucket admits at most its capacity plus one minute's refill
        assertThat(minute.requests()).isLessThanOrEqualTo(2 * RPM);
        assertThat(minute.inputTokens() + minute.requests() * MAX_TOKENS)
            .isLessThanOrEqualTo(2 * TPM);
      }
      assertWithinLimitInEveryWindow(calls);
      assertThat(pools.stream().mapToLong(pool -> pool.stats().rateLimited()).sum())
          .isEqualTo(total.rateLimited());
      long deferred = pools.stream().mapToLong(pool -> pool.stats().deferred()).sum();
      assertThat(deferred).as("the limit was reached, so the limiter deferred calls").isPositive();
      pools.forEach(
          pool ->
              LOG.info(
                  "MEASURED: pool admitted {} tasks, deferred {} times, limiter wait p50 {} ms,"
                      + " p99 {} ms",
                  pool.stats().admitted(),
                  pool.stats().deferred(),
                  pool.stats().limiterWaitP50().toMillis(),
                  pool.stats().limiterWaitP99().toMillis()));
    } finally {
      for (AutoCloseable closeable : open.reversed()) {
        closeable.close();
      }
    }
  }

  /**
   * Over any window [a, b] of answered calls, the tokens the provider counted (prompt + max_tokens)
   * fit the bucket: capacity + rate × (b − a), with 250 ms of slack for the time between the
   * simulator's admission and the answer reaching the test.
   */
  private static void assertWithinLimitInEveryWindow(List<Call> calls) {
    List<Call> sorted =
        calls.stream().sorted((x, y) -> Long.compare(x.nanos(), y.nanos())).toList();
    double tokensPerNano = TPM / 60e9;
    double requestsPerNano = RPM / 60e9;
    long slack = Duration.ofMillis(250).toNanos();
    for (int i = 0; i < sorted.size(); i++) {
      long tokens = 0;
      for (int j = i; j < sorted.size(); j++) {
        tokens += sorted.get(j).tokens();
        long span = sorted.get(j).nanos() - sorted.get(i).nanos() + slack;
        assertThat((double) tokens).isLessThanOrEqualTo(TPM + tokensPerNano * span);
        assertThat((double) (j - i + 1)).isLessThanOrEqualTo(RPM + requestsPerNano * span);
      }
    }
  }

  private static Provider recording(Simulator simulator, List<Call> calls) {
    SimulatorProvider openAi = new SimulatorProvider(simulator.baseUrl());
    return new Provider() {
      @Override
      public String name() {
        return openAi.name();
      }

      @Override
      public CompletionResponse complete(CompletionSpec request) {
        CompletionResponse response = openAi.complete(request);
        calls.add(new Call(System.nanoTime(), response.usage().inputTokens() + MAX_TOKENS));
        return response;
      }

      @Override
      public void close() {
        openAi.close();
      }
    };
  }

  private static HikariDataSource pool(PostgresEndpoint database) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(database.jdbcUrl());
    config.setUsername(database.username());
    config.setPassword(database.password());
    config.setMaximumPoolSize(4);
    config.setConnectionTimeout(2_000);
    config.setPoolName(TestInfrastructure.uniqueName("limits"));
    return new HikariDataSource(config);
  }
}
