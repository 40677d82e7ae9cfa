package io.sluice.jobapi;

import static io.sluice.jobapi.JobApiFixture.VALID_BODY;
import static io.sluice.jobapi.WebhookFixture.createEndpoint;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.embedded.TestInfrastructure;
import io.sluice.jobapi.WebhookReceiver.Mode;
import io.sluice.jobapi.webhook.RetrySchedule;
import io.sluice.schemas.job.JobEvent;
import io.sluice.schemas.job.JobStatus;
import io.sluice.schemas.job.TokenUsage;
import io.sluice.schemas.json.JsonSerde;
import java.math.BigDecimal;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Load figures, not part of the normal run ({@code -Dsluice.bench=true}, {@code
 * -Dsluice.bench.jobs=10000}): N jobs accepted over HTTP and N terminal events projected, first for
 * a tenant without webhooks, then for one whose two endpoints are slow (1 s per answer) and down
 * (connection refused). Prints intake and projection rates of both runs and what the slow endpoint
 * received meanwhile.
 */
@EnabledIfSystemProperty(named = "sluice.bench", matches = "true")
class WebhookLoadBench {
  private static final JsonSerde<JobEvent> EVENTS = JsonSerde.of(JobEvent.class);
  private static final int JOBS = Integer.getInteger("sluice.bench.jobs", 2000);

  private record Rates(double intakePerSecond, double projectedPerSecond) {}

  @Test
  void shouldKeepIntakeAndProjectionThroughputWithASlowAndADeadEndpoint() throws Exception {
    try (JobApiFixture fixture =
            JobApiFixture.start(
                s ->
                    s.dbPoolSize(10)
                        .webhooks(
                            WebhookFixture.local()
                                .withTimeouts(Duration.ofSeconds(15), Duration.ofSeconds(60))
                                .withPollInterval(Duration.ofMillis(500))
                                .withSchedule(RetrySchedule.STANDARD)
                                .withSenderEnabled(
                                    !Boolean.getBoolean("sluice.bench.senderOff"))));
        WebhookReceiver slow = WebhookReceiver.start().mode(Mode.SLOW);
        WebhookReceiver down = WebhookReceiver.start()) {
      down.stop();
      JobApiFixture.Client plain = fixture.newClient();
      JobApiFixture.Client hooked = fixture.newClient();
      String endpoints = System.getProperty("sluice.bench.endpoints", "slow,down");
      if (endpoints.contains("slow")) {
        createEndpoint(fixture, hooked, slow.url().toString());
      }
      if (endpoints.contains("down")) {
        createEndpoint(fixture, hooked, down.url().toString());
      }

      run(fixture, fixture.newClient()); // warm-up: the JIT, the pool, the consumer
      Rates without = run(fixture, plain);
      Instant loadedStart = Instant.now();
      Rates with = run(fixture, hooked);
      long loadedSeconds = Math.max(1, Duration.between(loadedStart, Instant.now()).toSeconds());
      int slowReceived = slow.accepted().size();
      if (endpoints.contains("slow")) {
        // The slow endpoint's own pace, once its deliveries exist: endpointConcurrency per second.
        await()
            .atMost(Duration.ofMinutes(2))
            .until(() -> slow.accepted().size() >= slowReceived + 40);
      }

      System.out.printf(
          "WebhookLoadBench: %d jobs per run%n"
              + "  without webhooks: intake %.0f jobs/s, projection %.0f events/s%n"
              + "  with a slow and a dead endpoint: intake %.0f jobs/s (%.0f%%), projection %.0f"
              + " events/s (%.0f%%)%n"
              + "  the slow endpoint received %d deliveries during the %d s run (%.1f/s),"
              + " deliveries written: %d%n",
          JOBS,
          without.intakePerSecond(),
          without.projectedPerSecond(),
          with.intakePerSecond(),
          100 * with.intakePerSecond() / without.intakePerSecond(),
          with.projectedPerSecond(),
          100 * with.projectedPerSecond() / without.projectedPerSecond(),
          slowReceived,
          loadedSeconds,
          slowReceived / (double) loadedSeconds,
          fixture.count(
              "SELECT count(*) FROM webhook_deliveries WHERE tenant_id = ?", hooked.tenant.id()));
      fixture
          .query(
              "SELECT coalesce(a.error, a.status_code::text), count(*), avg(a.latency_ms)::int,"
                  + " round(count(*) / greatest(1, extract(epoch FROM"
                  + " max(a.attempted_at) - min(a.attempted_at)))::numeric, 1) AS per_second"
                  + " FROM webhook_attempts a GROUP BY 1 ORDER BY 2 DESC LIMIT 5")
          .forEach(
              row ->
                  System.out.println(
                      "  attempts [outcome, count, mean latency ms, per second]: " + row));
      assertThat(
              fixture.count(
                  "SELECT count(*) FROM webhook_deliveries WHERE tenant_id = ?",
                  hooked.tenant.id()))
          .isEqualTo(endpoints.split(",").length * (long) JOBS);
      assertThat(
              slowReceived > 0
                  || Boolean.getBoolean("sluice.bench.senderOff")
                  || !endpoints.contains("slow"))
          .isTrue();
    }
  }

  private static Rates run(JobApiFixture fixture, JobApiFixture.Client client) throws Exception {
    Instant start = Instant.now();
    Map<String, Instant> jobs = submitAll(fixture, client);
    double intake = JOBS / seconds(start);
    Instant projectionStart = Instant.now();
    publishAll(fixture, client, jobs);
    await()
        .atMost(Duration.ofMinutes(10))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () ->
                fixture.count(
                        "SELECT count(*) FROM jobs WHERE tenant_id = ? AND status = 'succeeded'",
                        client.tenant.id())
                    == JOBS);
    return new Rates(intake, JOBS / seconds(projectionStart));
  }

  private static double seconds(Instant since) {
    return Duration.between(since, Instant.now()).toMillis() / 1000.0;
  }

  private static Map<String, Instant> submitAll(JobApiFixture fixture, JobApiFixture.Client client)
      throws Exception {
    Map<String, Instant> jobs = new ConcurrentHashMap<>();
    ExecutorService threads = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> submitted =
          java.util.stream.IntStream.range(0, JOBS)
              .<Future<?>>mapToObj(
                  i ->
                      threads.submit(
                          () -> {
                            var response =
                                JobApiFixture.send(
                                    HttpRequest.newBuilder(fixture.url("/v1/jobs"))
                                        .header("Authorization", "Bearer " + client.key)
                                        .header("Content-Type", "application/json")
                                        .POST(HttpRequest.BodyPublishers.ofString(VALID_BODY)));
                            var job = JobApiFixture.json(response);
                            jobs.put(
                                job.get("id").asText(),
                                Instant.parse(job.get("created_at").asText()));
                          }))
              .toList();
      for (Future<?> future : submitted) {
        future.get();
      }
    } finally {
      threads.shutdown();
      threads.awaitTermination(1, TimeUnit.MINUTES);
    }
    return jobs;
  }

  private static void publishAll(
      JobApiFixture fixture, JobApiFixture.Client client, Map<String, Instant> jobs) {
    Set<String> ids = jobs.keySet();
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestInfrastructure.kafka().bootstrapServers(),
                ProducerConfig.LINGER_MS_CONFIG,
                5),
            new StringSerializer(),
            new StringSerializer())) {
      for (String id : ids) {
        Instant created = jobs.get(id);
        JobEvent event =
            new JobEvent(
                1,
                "ev_" + id,
                id,
                client.tenant.id(),
                JobStatus.SUCCEEDED,
                "cba",
                new TokenUsage(12, 2),
                "openai",
                "gpt-4o-mini",
                new BigDecimal("0.000003"),
                null,
                1,
                created.plusMillis(20),
                created.plusMillis(500));
        producer.send(
            new ProducerRecord<>(fixture.topics.jobsEvents().name(), id, EVENTS.toJson(event)));
      }
      producer.flush();
    }
  }
}
