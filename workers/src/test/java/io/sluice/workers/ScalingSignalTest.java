package io.sluice.workers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.sluice.embedded.PostgresEndpoint;
import io.sluice.embedded.TestInfrastructure;
import io.sluice.ratelimit.LimitKey;
import io.sluice.ratelimit.RateLimiter;
import io.sluice.ratelimit.RateLimits;
import io.sluice.ratelimit.postgres.PostgresLimitStore;
import io.sluice.scaling.ScalingSettings;
import io.sluice.schemas.task.Lane;
import io.sluice.schemas.task.Task;
import io.sluice.schemas.topic.TopicCatalog;
import io.sluice.simulator.LatencySettings;
import io.sluice.simulator.ModelLimits;
import io.sluice.simulator.Simulator;
import io.sluice.simulator.SimulatorConfig;
import io.sluice.workers.testing.LaneTraffic;
import io.sluice.workers.testing.SimulatorProvider;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Issue 14's scaling signal on a real broker: one pool of 2 slots against a provider that answers
 * in about 0.5 s (so one instance does ~150–240 tasks a minute, calls and round trips included) and
 * allows 1,200 requests a minute (so 5 to 8 instances can be kept busy). With the backlog counted
 * as demand over a 1 min drain target, {@code sluice_workers_desired} rises with the backlog, then
 * stays at {@code sluice_workers_limit_cap} while {@code sluice_lane_backlog} keeps rising.
 */
class ScalingSignalTest {
  private static final String MODEL = "gpt-4o-mini";
  private static final long RPM = 1_200;

  @Test
  void shouldRiseWithTheBacklogAndStopAtTheRateLimitCapWhileTheBacklogKeepsRising()
      throws Exception {
    String bootstrap = TestInfrastructure.kafka().bootstrapServers();
    TopicCatalog topics = new TopicCatalog(TestInfrastructure.uniqueName("scaling"));
    SimpleMeterRegistry meters = new SimpleMeterRegistry();
    SimulatorConfig config =
        SimulatorConfig.builder()
            .limits(MODEL, ModelLimits.openai(RPM, 10_000_000))
            .latency(new LatencySettings(Duration.ofMillis(500), Duration.ZERO))
            .build();
    try (Simulator simulator = Simulator.start(config);
        PostgresEndpoint database = TestInfrastructure.newDatabase();
        HikariDataSource pool = pool(database);
        LaneTraffic traffic = new LaneTraffic(bootstrap, topics, "openai")) {
      PostgresLimitStore store = new PostgresLimitStore(pool);
      store.migrate();
      try (RateLimiter limiter =
              RateLimiter.builder()
                  .store(store)
                  .limits(
                      new LimitKey("openai", "default", MODEL), RateLimits.openAi(RPM, 10_000_000))
                  .build();
          WorkerPool workers =
              WorkerPool.start(
                  WorkerSettings.builder(bootstrap, topics.prefix(), "openai")
                      .concurrency(2)
                      .scaling(new ScalingSettings(Duration.ofMinutes(1), 1, 50))
                      .scalingInterval(Duration.ofMillis(300))
                      .meters(meters)
                      .build(),
                  new SimulatorProvider(simulator.baseUrl()),
                  limiter)) {
        // a few calls first, so the signal knows how long one takes
        traffic.sendAll(tasks(6));
        await().atMost(Duration.ofSeconds(30)).until(() -> traffic.results().size() >= 6);
        // until a measurement has seen those calls: from then on the limits cap the signal
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> gauge(meters, "sluice.workers.limit.cap") < 50);
        assertThat(gauge(meters, "sluice.workers.desired")).isEqualTo(1);
        assertThat(gauge(meters, "sluice.workers.limit.cap"))
            .as("instances 1,200 RPM keeps busy at 120–300 a minute each")
            .isBetween(3.0, 49.0);

        traffic.sendAll(tasks(600));
        await()
            .atMost(Duration.ofSeconds(15))
            .until(() -> backlog(meters) >= 300 && gauge(meters, "sluice.workers.desired") >= 2);
        double rising = gauge(meters, "sluice.workers.desired");
        assertThat(rising).isLessThan(gauge(meters, "sluice.workers.limit.cap"));

        traffic.sendAll(tasks(4_000));
        await()
            .atMost(Duration.ofSeconds(15))
            .until(() -> backlog(meters) >= 4_000 && atTheCap(meters));
        double before = backlog(meters);

        traffic.sendAll(tasks(6_000));
        await().atMost(Duration.ofSeconds(15)).until(() -> backlog(meters) >= before + 5_000);
        await()
            .during(Duration.ofSeconds(2))
            .atMost(Duration.ofSeconds(5))
            .until(() -> atTheCap(meters));
        // the oldest waiting task was put in the lane before the last two sends
        assertThat(
                meters
                    .find("sluice.lane.oldest.task.age")
                    .tags("provider", "openai", "lane", "standard")
                    .gauge()
                    .value())
            .isGreaterThan(2.0);
      }
    }
  }

  private static List<Task> tasks(int count) {
    List<Task> tasks = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      tasks.add(Tasks.aTask("openai", Lane.STANDARD, "reverse: scaling " + i, 16));
    }
    return tasks;
  }

  /**
   * Desired equals the cap (the call time, so an instance's speed, moves as the machine's load
   * does).
   */
  private static boolean atTheCap(SimpleMeterRegistry meters) {
    double cap = gauge(meters, "sluice.workers.limit.cap");
    return cap > 1 && cap < 50 && gauge(meters, "sluice.workers.desired") == cap;
  }

  private static double backlog(SimpleMeterRegistry meters) {
    return meters.find("sluice.lane.backlog").gauges().stream()
        .mapToDouble(Gauge::value)
        .filter(value -> !Double.isNaN(value))
        .sum();
  }

  private static double gauge(SimpleMeterRegistry meters, String name) {
    Gauge gauge = meters.find(name).tag("provider", "openai").gauge();
    return gauge == null ? Double.NaN : gauge.value();
  }

  private static HikariDataSource pool(PostgresEndpoint database) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(database.jdbcUrl());
    config.setUsername(database.username());
    config.setPassword(database.password());
    config.setMaximumPoolSize(2);
    config.setPoolName(TestInfrastructure.uniqueName("scaling"));
    return new HikariDataSource(config);
  }
}
