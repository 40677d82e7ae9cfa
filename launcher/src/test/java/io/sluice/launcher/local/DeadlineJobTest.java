package io.sluice.launcher.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.embedded.PostgresEndpoint;
import io.sluice.embedded.TestInfrastructure;
import io.sluice.lane.DeadlinePolicy;
import io.sluice.launcher.client.SluiceClient;
import io.sluice.simulator.BatchSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deadlines end to end over HTTP, as {@code sluice local} runs them on the real test broker and a
 * real PostgreSQL database, with a deadline policy scaled down from hours to seconds (a 20 s batch
 * window, no margin, fall back 4 s before the deadline) and simulator batches that take 10 minutes,
 * so that no provider batch ever finishes in time: a deferred job finishes through a realtime lane
 * before its deadline, {@code auto} picks its lane by the deadline, and a job that cannot finish
 * ends {@code expired} at its deadline.
 */
class DeadlineJobTest {
  private static final DeadlinePolicy SECONDS =
      new DeadlinePolicy(Duration.ofSeconds(20), Duration.ZERO, Duration.ofSeconds(4));

  @TempDir static Path dataDir;
  private static PostgresEndpoint database;
  private static LocalPlatform platform;
  private static SluiceClient client;

  @BeforeAll
  static void startPlatform() {
    database = TestInfrastructure.newDatabase();
    platform =
        LocalPlatform.startOn(
            new LocalOptions(dataDir, 0, "unlimited", Duration.ofMillis(5), 4)
                .withDeadlines(SECONDS)
                .withSimulatorBatches(
                    BatchSettings.DEFAULT.withProcessingTime(Duration.ofMinutes(10))),
            database,
            TestInfrastructure.kafka(),
            TestInfrastructure.uniqueName("deadline"));
    client = new SluiceClient(platform.apiUrl(), platform.devApiKey());
  }

  @AfterAll
  static void stopPlatform() {
    client.close();
    platform.close();
    database.close();
  }

  @Test
  void shouldFinishADeferredJobThroughARealtimeLaneBeforeItsDeadlineWhenItsBatchCannot() {
    Instant deadline = inSeconds(12);
    String id = submit("deferred", deadline, "reverse: in time");

    await()
        .atMost(Duration.ofSeconds(8))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> stage(id).equals("in_provider_batch"));
    JsonNode job = awaitDone(id);

    assertThat(job.get("status").asText()).isEqualTo("succeeded");
    assertThat(job.get("output").asText()).isEqualTo("emit ni");
    assertThat(job.at("/placement/stage").asText()).isEqualTo("realtime_fallback");
    assertThat(Instant.parse(job.get("finished_at").asText())).isBefore(deadline);
  }

  @Test
  void shouldRunAnAutoJobOnItsRealtimeLaneWhenItsDeadlineLeavesNoRoomForABatch() {
    Instant deadline = inSeconds(15); // the window is 20 s
    String id = submit("auto", deadline, "reverse: now");

    JsonNode job = awaitDone(id);

    assertThat(job.get("status").asText()).isEqualTo("succeeded");
    assertThat(job.get("output").asText()).isEqualTo("won");
    assertThat(job.has("placement")).as("never in the deferred lane: %s", job).isFalse();
    assertThat(job.has("realtime_cost_usd")).isFalse();
  }

  @Test
  void shouldSendAnAutoJobWithRoomForTheBatchWindowToAProviderBatch() {
    String withoutDeadline = submit("auto", null, "reverse: later");
    String farDeadline = submit("auto", Instant.now().plus(Duration.ofHours(2)), "reverse: much");

    for (String id : List.of(withoutDeadline, farDeadline)) {
      await()
          .atMost(Duration.ofSeconds(20))
          .pollInterval(Duration.ofMillis(200))
          .until(() -> stage(id).equals("in_provider_batch"));
      assertThat(client.job(id).get("status").asText()).isEqualTo("running");
    }
  }

  @Test
  void shouldExpireAJobThatCannotFinishByItsDeadlineOnARealtimeLaneAndInTheDeferredLane() {
    Instant deadline = inSeconds(3);
    // the provider holds each call 8 s: past the deadline
    String realtime = submit("realtime", deadline, "#sim hang=8000\nreverse: too slow");
    String deferred = submit("deferred", deadline, "#sim hang=8000\nreverse: too late");

    for (String id : List.of(realtime, deferred)) {
      JsonNode job = awaitDone(id);
      assertThat(job.get("status").asText()).as("%s", job).isEqualTo("expired");
      assertThat(job.at("/error/code").asText()).isEqualTo("deadline_exceeded");
      assertThat(job.has("output")).isFalse();
      assertThat(Instant.parse(job.get("finished_at").asText()))
          .isBetween(deadline, deadline.plusSeconds(5));
    }
  }

  private static String submit(String mode, Instant deadline, String prompt) {
    Map<String, Object> body = new HashMap<>();
    body.put("model", "gpt-4o-mini");
    body.put("mode", mode);
    body.put("messages", List.of(Map.of("role", "user", "content", prompt)));
    if (deadline != null) {
      body.put("deadline", deadline.toString());
    }
    return client.submit(body).get("id").asText();
  }

  /** A deadline this many seconds away, in the API's millisecond precision. */
  private static Instant inSeconds(long seconds) {
    return Instant.now().plusSeconds(seconds).truncatedTo(ChronoUnit.MILLIS);
  }

  private static String stage(String id) {
    return client.job(id).at("/placement/stage").asText();
  }

  private static JsonNode awaitDone(String id) {
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              String status = client.job(id).get("status").asText();
              return !status.equals("queued") && !status.equals("running");
            });
    return client.job(id);
  }
}
