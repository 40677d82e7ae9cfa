package io.sluice.jobapi;

import static io.sluice.jobapi.JobApiFixture.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.schemas.job.JobEvent;
import io.sluice.schemas.job.JobStatus;
import io.sluice.schemas.job.TokenUsage;
import io.sluice.schemas.json.Json;
import io.sluice.schemas.json.JsonSerde;
import io.sluice.testing.ManualClock;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * How a batch ends, on a settable clock, with the dispatcher's job events published by the test:
 * past its window the unfinished lines are cancelled through the job cancel path and the batch ends
 * {@code expired}; its output file holds the finished lines as {@code chat.completion} bodies and
 * its error file the rest as {@code batch_expired}, both produced from the job rows.
 */
class BatchEndTest {
  private static final JsonSerde<JobEvent> EVENTS = JsonSerde.of(JobEvent.class);
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final ManualClock CLOCK = new ManualClock(Instant.now());
  private static JobApiFixture fixture;

  @BeforeAll
  static void startApi() {
    fixture = JobApiFixture.start(s -> s.clock(CLOCK));
  }

  @AfterAll
  static void stopApi() {
    fixture.close();
  }

  @Test
  void shouldExpireABatchPastItsWindowKeepingFinishedLinesInTheOutputFile() throws Exception {
    JobApiFixture.Client client = fixture.newClient();
    String batchId = createBatch(client, "1h", "done", "late");
    String done = jobOf(batchId, "done");
    String late = jobOf(batchId, "late");
    publish(event(client, done, "ev_done", JobStatus.SUCCEEDED, "cba"));
    await()
        .atMost(WAIT)
        .until(() -> batch(client, batchId).at("/request_counts/completed").asInt() == 1);

    CLOCK.advance(Duration.ofHours(1));
    await()
        .atMost(WAIT)
        .until(
            () ->
                fixture.count("SELECT count(*) FROM batches WHERE id = ? AND cancels_sent", batchId)
                    == 1);
    assertThat(KafkaTestClients.readAll(fixture.topics.jobsControl().name()))
        .as("the cancel of the unfinished line, through the job cancel path")
        .anySatisfy(r -> assertThat(r.key()).isEqualTo(late));
    publish(event(client, late, "ev_late", JobStatus.CANCELLED, null));
    await()
        .atMost(WAIT)
        .until(() -> batch(client, batchId).get("status").asText().equals("expired"));

    JsonNode batch = batch(client, batchId);
    assertThat(batch.at("/request_counts/total").asInt()).isEqualTo(2);
    assertThat(batch.at("/request_counts/completed").asInt()).isEqualTo(1);
    assertThat(batch.at("/request_counts/failed").asInt()).isEqualTo(1);
    assertThat(batch.get("expired_at").isNumber()).isTrue();
    assertThat(batch.at("/sluice/cost_usd").decimalValue()).isEqualByComparingTo("0.000003");
    List<JsonNode> output = lines(client, batch.get("output_file_id").asText());
    assertThat(output).hasSize(1);
    assertThat(output.getFirst().get("custom_id").asText()).isEqualTo("done");
    assertThat(output.getFirst().at("/response/body/object").asText()).isEqualTo("chat.completion");
    assertThat(output.getFirst().at("/response/body/choices/0/message/content").asText())
        .isEqualTo("cba");
    assertThat(output.getFirst().at("/response/body/usage/total_tokens").asInt()).isEqualTo(14);
    List<JsonNode> errors = lines(client, batch.get("error_file_id").asText());
    assertThat(errors).hasSize(1);
    assertThat(errors.getFirst().get("custom_id").asText()).isEqualTo("late");
    assertThat(errors.getFirst().at("/error/code").asText()).isEqualTo("batch_expired");
    JsonNode file = json(get(client, "/v1/files/" + batch.get("error_file_id").asText()));
    assertThat(file.get("purpose").asText()).isEqualTo("batch_output");
    assertThat(file.get("bytes").asLong())
        .isEqualTo(content(client, batch.get("error_file_id").asText()).length);
  }

  private static String createBatch(JobApiFixture.Client client, String window, String... ids) {
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    for (String id : ids) {
      file.writeBytes(
          ("{\"custom_id\":\""
                  + id
                  + "\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":{\"model\":"
                  + "\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"reverse: abc\"}]}}\n")
              .getBytes(StandardCharsets.UTF_8));
    }
    String boundary = "b-7f3";
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(
        ("--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nbatch\r\n--"
                + boundary
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"in.jsonl\"\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8));
    body.writeBytes(file.toByteArray());
    body.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
    String fileId =
        json(JobApiFixture.send(
                HttpRequest.newBuilder(fixture.url("/v1/files"))
                    .header("Authorization", "Bearer " + client.key)
                    .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                    .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray()))))
            .get("id")
            .asText();
    HttpResponse<String> created =
        JobApiFixture.send(
            HttpRequest.newBuilder(fixture.url("/v1/batches"))
                .header("Authorization", "Bearer " + client.key)
                .header("Content-Type", "application/json")
                .POST(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"input_file_id\":\""
                            + fileId
                            + "\",\"endpoint\":\"/v1/chat/completions\",\"completion_window\":\""
                            + window
                            + "\"}")));
    assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
    String batchId = json(created).get("id").asText();
    assertThat(client.validated(batchId).get("status").asText()).isEqualTo("in_progress");
    return batchId;
  }

  private static String jobOf(String batchId, String customId) {
    return fixture
        .query("SELECT id FROM jobs WHERE batch_id = ? AND custom_id = ?", batchId, customId)
        .getFirst()
        .get(0)
        .toString();
  }

  private static JobEvent event(
      JobApiFixture.Client client, String jobId, String eventId, JobStatus status, String output) {
    Instant now = CLOCK.instant();
    boolean succeeded = status == JobStatus.SUCCEEDED;
    return new JobEvent(
        1,
        eventId,
        jobId,
        client.tenant.id(),
        status,
        output,
        succeeded ? new TokenUsage(12, 2) : null,
        "openai",
        "gpt-4o-mini",
        succeeded ? new BigDecimal("0.0000030") : null,
        null,
        succeeded ? 1 : 0,
        now,
        now);
  }

  private static void publish(JobEvent event) {
    KafkaTestClients.send(fixture.topics.jobsEvents().name(), event.jobId(), EVENTS.toJson(event));
  }

  private static JsonNode batch(JobApiFixture.Client client, String batchId) {
    return json(get(client, "/v1/batches/" + batchId));
  }

  private static HttpResponse<String> get(JobApiFixture.Client client, String path) {
    return JobApiFixture.send(
        HttpRequest.newBuilder(fixture.url(path))
            .header("Authorization", "Bearer " + client.key)
            .GET());
  }

  private static List<JsonNode> lines(JobApiFixture.Client client, String fileId) throws Exception {
    List<JsonNode> lines = new ArrayList<>();
    for (String line : new String(content(client, fileId), StandardCharsets.UTF_8).split("\n")) {
      if (!line.isBlank()) {
        lines.add(Json.mapper().readTree(line));
      }
    }
    return lines;
  }

  private static byte[] content(JobApiFixture.Client client, String fileId) throws Exception {
    return java.net.http.HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(fixture.url("/v1/files/" + fileId + "/content"))
                .header("Authorization", "Bearer " + client.key)
                .build(),
            HttpResponse.BodyHandlers.ofByteArray())
        .body();
  }
}
