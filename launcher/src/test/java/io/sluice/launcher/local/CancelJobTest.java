package io.sluice.launcher.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.embedded.PostgresEndpoint;
import io.sluice.embedded.TestInfrastructure;
import io.sluice.launcher.client.SluiceClient;
import io.sluice.providers.Provider;
import io.sluice.providers.ProviderConfig;
import io.sluice.providers.ProviderFactory;
import io.sluice.providers.ProviderKind;
import io.sluice.schemas.json.Json;
import io.sluice.simulator.BatchSettings;
import io.sluice.workers.WorkerPool;
import io.sluice.workers.WorkerSettings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code POST /v1/jobs/{id}/cancel} end to end as {@code sluice local} runs it, on the real test
 * broker and a real PostgreSQL database: the cancel goes through job-api's outbox to {@code
 * sluice.jobs.control}, the dispatcher ends the job {@code cancelled}, the workers drop its task
 * and the batch-submitter ignores its batch line. One task at a time per provider's worker pool, so
 * a job can be kept queued behind a call the simulator holds ({@code #sim hang}); provider batches
 * take 6 s, so a deferred job can be cancelled while in one.
 */
class CancelJobTest {
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir static Path dataDir;
  private static PostgresEndpoint database;
  private static LocalPlatform platform;
  private static SluiceClient client;
  private static HttpClient http;
  private static String topicPrefix;

  @BeforeAll
  static void startPlatform() {
    database = TestInfrastructure.newDatabase();
    topicPrefix = TestInfrastructure.uniqueName("cancel");
    platform =
        LocalPlatform.startOn(
            new LocalOptions(dataDir, 0, "unlimited", Duration.ofMillis(5), 1)
                .withSimulatorBatches(
                    BatchSettings.DEFAULT.withProcessingTime(Duration.ofSeconds(6))),
            database,
            TestInfrastructure.kafka(),
            topicPrefix);
    client = new SluiceClient(platform.apiUrl(), platform.devApiKey());
    http = HttpClient.newHttpClient();
  }

  @AfterAll
  static void stopPlatform() {
    http.close();
    client.close();
    platform.close();
    database.close();
  }

  @Test
  void shouldCancelAQueuedJobSoItsTaskNeverReachesTheProvider() throws Exception {
    String blocker = submit("gpt-4o-mini", "realtime", "#sim hang=6000\nreverse: blocker");
    awaitStatus(blocker, "running"); // the openai pool's only slot is taken for 6 s
    String queued = submit("gpt-4.1", "realtime", "reverse: never");

    HttpResponse<String> answer = cancel(queued);

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
    assertThat(json(answer).get("status").asText()).isEqualTo("queued");
    JsonNode cancelled = awaitEnd(queued);
    assertThat(cancelled.get("status").asText()).as("%s", cancelled).isEqualTo("cancelled");
    assertThat(cancelled.has("output")).isFalse();
    assertThat(awaitEnd(blocker).get("status").asText()).isEqualTo("succeeded");
    // the pool is free again and has taken the next task: the cancelled one was dropped before it
    String after = submit("gpt-4o-mini", "realtime", "reverse: after");
    assertThat(awaitEnd(after).get("status").asText()).isEqualTo("succeeded");
    assertThat(simulatorRequests("gpt-4.1")).as("provider calls for gpt-4.1").isZero();
    assertThat(client.job(queued).get("status").asText()).isEqualTo("cancelled");
  }

  @Test
  void shouldEndARunningJobCancelledAndStillRecordWhatItsCallUsed() throws Exception {
    String running = submit("claude-haiku-4-5", "realtime", "#sim hang=3000\nreverse: slow");
    awaitStatus(running, "running");

    HttpResponse<String> answer = cancel(running);

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
    assertThat(awaitEnd(running).get("status").asText()).isEqualTo("cancelled");
    // the call's result comes later as a cost update: usage, cost and attempts, never its output.
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(200))
        .untilAsserted(
            () -> {
              JsonNode job = client.job(running);
              assertThat(job.at("/usage/input_tokens").asLong())
                  .as("usage of %s", job)
                  .isPositive();
            });
    JsonNode job = client.job(running);
    assertThat(job.get("status").asText()).isEqualTo("cancelled");
    assertThat(job.at("/usage/output_tokens").asLong()).isPositive();
    assertThat(job.get("attempts").asInt()).isEqualTo(1);
    assertThat(job.get("cost_usd").decimalValue()).as("cost of %s", job).isPositive();
    assertThat(job.has("output")).as("the call's result is discarded: %s", job).isFalse();
    assertThat(simulatorRequests("claude-haiku-4-5")).isEqualTo(1);
    assertThat(cancel(running).statusCode()).as("idempotent").isEqualTo(200);
  }

  @Test
  void shouldDropCancelledTasksWhicheverOfTwoWorkerInstancesTakesThem() throws Exception {
    String blocker = submit("gpt-4o-mini", "realtime", "#sim hang=6000\nreverse: blocker two");
    awaitStatus(blocker, "running"); // sluice local's openai instance is busy for 6 s
    List<String> queued = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      queued.add(submit("gpt-4.1", "realtime", "reverse: never " + i));
    }
    for (String id : queued) {
      assertThat(cancel(id).statusCode()).isEqualTo(202);
    }
    for (String id : queued) {
      assertThat(awaitEnd(id).get("status").asText()).isEqualTo("cancelled");
    }
    long callsBefore = simulatorRequests("gpt-4.1");

    // a second openai instance joins the share group after the cancels were published: it takes
    // the queued tasks the busy first one has not, and must know their jobs were cancelled
    WorkerSettings settings =
        WorkerSettings.builder(TestInfrastructure.kafka().bootstrapServers(), topicPrefix, "openai")
            .concurrency(2)
            .topics(6, (short) 1)
            .build();
    try (Provider provider =
            new ProviderFactory()
                .realtime(
                    ProviderConfig.of(
                        "openai",
                        ProviderKind.forProvider("openai"),
                        platform.simulatorUrl(),
                        LocalPlatform.SIMULATOR_KEY));
        WorkerPool second = WorkerPool.start(settings, provider)) {
      await().atMost(WAIT).until(() -> second.stats().cancelledJobsKnown() >= queued.size());
      assertThat(awaitEnd(blocker).get("status").asText()).isEqualTo("succeeded");
      List<String> after = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        after.add(submit("gpt-4o-mini", "realtime", "reverse: after " + i));
      }
      for (String id : after) {
        assertThat(awaitEnd(id).get("status").asText()).isEqualTo("succeeded");
      }
    }

    assertThat(simulatorRequests("gpt-4.1")).as("provider calls for gpt-4.1").isZero();
    assertThat(callsBefore).isZero();
    for (String id : queued) {
      assertThat(client.job(id).get("status").asText()).isEqualTo("cancelled");
    }
  }

  @Test
  void shouldAnswer409NamingTheStatusOfAFinishedJob() throws Exception {
    String done = submit("gemini-2.5-flash", "realtime", "reverse: done");
    assertThat(awaitEnd(done).get("status").asText()).isEqualTo("succeeded");

    HttpResponse<String> answer = cancel(done);

    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(409);
    assertThat(json(answer).at("/error/type").asText()).isEqualTo("job_finished");
    assertThat(json(answer).at("/error/status").asText()).isEqualTo("succeeded");
    assertThat(client.job(done).get("output").asText()).isEqualTo("enod");
  }

  @Test
  void shouldCancelADeferredJobInAProviderBatchSoTheBatchNeverCompletesIt() throws Exception {
    String deferred = submit("gpt-4o-mini", "deferred", "reverse: batched");
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> client.job(deferred).at("/placement/stage").asText().equals("in_provider_batch"));

    assertThat(cancel(deferred).statusCode()).isEqualTo(202);

    assertThat(awaitEnd(deferred).get("status").asText()).isEqualTo("cancelled");
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(250))
        .until(() -> openAiBatchLinesCompleted() >= 1); // its batch came back with its line
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () -> {
              JsonNode job = client.job(deferred);
              return job.get("status").asText().equals("cancelled") && !job.has("output");
            });
  }

  private static String submit(String model, String mode, String prompt) {
    return client
        .submit(
            Map.of(
                "model",
                model,
                "mode",
                mode,
                "messages",
                List.of(Map.of("role", "user", "content", prompt))))
        .get("id")
        .asText();
  }

  private static HttpResponse<String> cancel(String id) throws Exception {
    return http.send(
        HttpRequest.newBuilder(platform.apiUrl().resolve("/v1/jobs/" + id + "/cancel"))
            .header("Authorization", "Bearer " + platform.devApiKey())
            .POST(HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static void awaitStatus(String id, String status) {
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(100))
        .until(() -> client.job(id).get("status").asText().equals(status));
  }

  private static JsonNode awaitEnd(String id) {
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              String status = client.job(id).get("status").asText();
              return !status.equals("queued") && !status.equals("running");
            });
    return client.job(id);
  }

  /** Calls the simulator accepted for this model (its meter), 0 when it saw none. */
  private static long simulatorRequests(String model) throws Exception {
    JsonNode meter = simulatorGet("/_sim/meter");
    long requests = 0;
    for (JsonNode total : meter.get("totals")) {
      if (total.get("model").asText().equals(model)) {
        requests += total.get("requests").asLong();
      }
    }
    return requests;
  }

  private static long openAiBatchLinesCompleted() throws Exception {
    JsonNode list =
        simulatorGet(
            "/v1/batches?limit=100", "Authorization", "Bearer " + LocalPlatform.SIMULATOR_KEY);
    long completed = 0;
    for (JsonNode batch : list.get("data")) {
      completed += batch.at("/request_counts/completed").asLong();
    }
    return completed;
  }

  private static JsonNode simulatorGet(String path, String... headers) throws Exception {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(platform.simulatorUrl() + path)).GET();
    if (headers.length > 0) {
      request.headers(headers);
    }
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as("GET %s", path).isEqualTo(200);
    return Json.mapper().readTree(response.body());
  }

  private static JsonNode json(HttpResponse<String> response) throws IOException {
    return Json.mapper().readTree(response.body());
  }
}
