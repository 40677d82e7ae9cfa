package io.sluice.launcher.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.embedded.PostgresEndpoint;
import io.sluice.embedded.TestInfrastructure;
import io.sluice.launcher.client.SluiceClient;
import io.sluice.launcher.demo.DemoJob;
import io.sluice.launcher.demo.DemoWorkload;
import io.sluice.schemas.json.Json;
import io.sluice.simulator.ModelLimits;
import io.sluice.simulator.Profile;
import io.sluice.simulator.Profiles;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole platform, as {@code sluice local} runs it, on the real test Kafka broker and a real
 * PostgreSQL database: jobs go in over HTTP and their results come out, checked against the
 * simulator's deterministic answers computed independently by {@link DemoWorkload}.
 *
 * <p>The simulated accounts have request limits that bind: each model gets {@value #OVER_LIMIT}
 * requests per minute fewer than the workload sends it, so the last jobs of each model wait for the
 * bucket to refill, through Sluice's shared rate limiter configured with the same limits. The
 * simulator must answer no call with a 429.
 */
class EndToEndTest {
  private static final int JOBS = 200;
  private static final int OVER_LIMIT = 10;
  private static final Map<String, String> PROVIDER_OF =
      Map.of(
          "gpt-4o-mini", "openai", "claude-haiku-4-5", "anthropic", "gemini-2.5-flash", "gemini");
  private static final List<DemoJob> WORKLOAD =
      DemoWorkload.generate(JOBS, List.copyOf(PROVIDER_OF.keySet()), 7);

  @TempDir static Path dataDir;
  private static PostgresEndpoint database;
  private static LocalPlatform platform;
  private static SluiceClient client;

  @BeforeAll
  static void startPlatform() {
    database = TestInfrastructure.newDatabase();
    platform =
        LocalPlatform.startOn(
            new LocalOptions(dataDir, 0, bindingLimits(), Duration.ofMillis(20), 16),
            database,
            TestInfrastructure.kafka(),
            TestInfrastructure.uniqueName("e2e"));
    client = new SluiceClient(platform.apiUrl(), platform.devApiKey());
  }

  /** Per model, a request limit {@value #OVER_LIMIT} below the jobs the workload sends it. */
  private static Profile bindingLimits() {
    Profile profile = Profiles.named("unlimited");
    for (String model : PROVIDER_OF.keySet()) {
      long rpm = jobsOf(model) - OVER_LIMIT;
      profile =
          profile.withModel(
              model,
              switch (PROVIDER_OF.get(model)) {
                case "anthropic" -> ModelLimits.anthropic(rpm, ModelLimits.MAX, ModelLimits.MAX);
                case "gemini" -> ModelLimits.gemini(rpm, ModelLimits.MAX);
                default -> ModelLimits.openai(rpm, ModelLimits.MAX);
              });
    }
    return new Profile("binding", profile.models(), profile.defaults());
  }

  private static long jobsOf(String model) {
    return WORKLOAD.stream().filter(job -> job.model().equals(model)).count();
  }

  @AfterAll
  static void stopPlatform() {
    client.close();
    platform.close();
    database.close();
  }

  @Test
  void shouldRunConcurrentlySubmittedJobsToTheExpectedResultsUnderBindingLimitsWithoutA429()
      throws Exception {
    long started = System.nanoTime();
    Map<String, DemoJob> submitted = submitAllAtOnce(WORKLOAD);

    assertThat(submitted).hasSize(JOBS);
    await()
        .atMost(Duration.ofMinutes(3))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> submitted.keySet().stream().allMatch(this::isDone));
    for (var entry : submitted.entrySet()) {
      JsonNode job = client.job(entry.getKey());
      DemoJob expected = entry.getValue();
      assertThat(job.get("status").asText()).as("status of %s", expected).isEqualTo("succeeded");
      assertThat(job.get("output").asText())
          .as("output of %s", expected.prompt())
          .isEqualTo(expected.expectedOutput());
      assertThat(job.get("provider").asText()).isEqualTo(PROVIDER_OF.get(expected.model()));
      assertThat(job.at("/usage/input_tokens").asLong()).isPositive();
      assertThat(job.at("/usage/output_tokens").asLong()).isPositive();
    }
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    JsonNode meter =
        Json.mapper().readTree(URI.create(platform.simulatorUrl() + "/_sim/meter").toURL());
    for (JsonNode total : meter.get("totals")) {
      assertThat(total.get("rate_limited").asLong())
          .as("429s for %s", total.get("model").asText())
          .isZero();
    }
    long slowestRpm =
        PROVIDER_OF.keySet().stream().mapToLong(m -> jobsOf(m) - OVER_LIMIT).min().orElseThrow();
    assertThat(took)
        .as("the limit binds: %d jobs over it wait for the refill", OVER_LIMIT)
        .isGreaterThanOrEqualTo(Duration.ofMillis(OVER_LIMIT * 60_000L * 9 / 10 / slowestRpm));
  }

  @Test
  void shouldCarryANulCharacterToTheProviderAndBackUnchanged() {
    // Text extracted from PDFs carries NULs; PostgreSQL's jsonb refuses them (issue 8, defect 1).
    String id = submit("reverse: pdf\u0000text \u00e9\u0000");

    JsonNode job = awaitDone(id);

    assertThat(job.get("status").asText()).isEqualTo("succeeded");
    assertThat(job.get("output").asText()).isEqualTo("\u0000\u00e9 txet\u0000fdp");
  }

  @Test
  void shouldReportAPermanentProviderErrorAsAFailedJobWithoutRetrying() {
    String id = submit("#sim error=400\nreverse: never");

    JsonNode job = awaitDone(id);

    assertThat(job.get("status").asText()).isEqualTo("failed");
    assertThat(job.get("attempts").asInt()).isEqualTo(1);
    assertThat(job.at("/error/retriable").asBoolean()).isFalse();
    assertThat(job.has("output")).isFalse();
  }

  @Test
  void shouldRetryATransientProviderErrorAndSucceed() {
    String id =
        submit("#sim fail-first=1 error=503\nreverse: " + TestInfrastructure.uniqueName("x"));

    JsonNode job = awaitDone(id);

    assertThat(job.get("status").asText()).isEqualTo("succeeded");
    assertThat(job.get("attempts").asInt()).isEqualTo(2);
  }

  @Test
  void shouldShowAJobAsRunningWhileItsCallIsUnderWay() {
    String id = submit("#sim hang=4000\nreverse: " + TestInfrastructure.uniqueName("slow"));

    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> client.job(id).get("status").asText(), "running"::equals);
    JsonNode running = client.job(id);
    JsonNode done = awaitDone(id);

    assertThat(running.has("started_at")).isTrue();
    assertThat(running.has("output")).isFalse();
    assertThat(done.get("status").asText()).isEqualTo("succeeded");
    assertThat(done.get("started_at").asText()).isEqualTo(running.get("started_at").asText());
    assertThat(done.at("/timing/run_ms").asLong()).isGreaterThanOrEqualTo(4000);
  }

  private String submit(String prompt) {
    return client
        .submit(
            Map.of(
                "model",
                "gpt-4o-mini",
                "messages",
                List.of(Map.of("role", "user", "content", prompt))))
        .get("id")
        .asText();
  }

  private JsonNode awaitDone(String id) {
    await().atMost(Duration.ofMinutes(1)).until(() -> isDone(id));
    return client.job(id);
  }

  private boolean isDone(String id) {
    String status = client.job(id).get("status").asText();
    return !status.equals("queued") && !status.equals("running");
  }

  private static Map<String, DemoJob> submitAllAtOnce(List<DemoJob> jobs) throws Exception {
    Map<String, DemoJob> byId = new ConcurrentHashMap<>();
    try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> futures = new ArrayList<>();
      for (DemoJob job : jobs) {
        futures.add(
            executor.submit(
                () -> {
                  JsonNode accepted =
                      client.submit(
                          Map.of(
                              "model", job.model(),
                              "messages",
                                  List.of(Map.of("role", "user", "content", job.prompt()))));
                  assertThat(accepted.get("status").asText()).isEqualTo("queued");
                  byId.put(accepted.get("id").asText(), job);
                }));
      }
      for (Future<?> future : futures) {
        future.get();
      }
    }
    return byId;
  }
}
