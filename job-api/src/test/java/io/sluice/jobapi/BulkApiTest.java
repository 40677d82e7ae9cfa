package io.sluice.jobapi;

import static io.sluice.jobapi.JobApiFixture.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.OpenAIServiceException;
import com.openai.models.files.FileCreateParams;
import com.openai.models.files.FilePurpose;
import io.sluice.jobapi.bulk.BulkSettings;
import io.sluice.schemas.json.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Files and Batches API on a real job-api (PostgreSQL, Kafka): uploads stored in chunks and
 * streamed back, the size limit enforced while streaming, batch input validated line by line (each
 * bad line named, no job created), lines turned into jobs linked to their batch, tenant isolation.
 */
class BulkApiTest {
  private static final long MAX_FILE_BYTES = 3L * 1024 * 1024;
  private static final int MAX_LINE_BYTES = 4096;
  private static final String BOUNDARY = "sluice-test-boundary-7d1c";

  private static JobApiFixture fixture;

  @BeforeAll
  static void startApi() {
    fixture =
        JobApiFixture.start(
            s ->
                s.webhooks(WebhookFixture.local())
                    .bulk(
                        BulkSettings.defaults()
                            .withMaxFileBytes(MAX_FILE_BYTES)
                            .withMaxLineBytes(MAX_LINE_BYTES)));
  }

  @AfterAll
  static void stopApi() {
    fixture.close();
  }

  @Test
  void shouldStoreAnUploadInChunksAndStreamItBackUnchanged() {
    JobApiFixture.Client client = fixture.newClient();
    byte[] content = new byte[(int) (2.5 * 1024 * 1024)];
    for (int i = 0; i < content.length; i++) {
      content[i] = (byte) (i * 31 + 7);
    }

    HttpResponse<String> uploaded = upload(client, "batch", "input.jsonl", content);

    assertThat(uploaded.statusCode()).as(uploaded.body()).isEqualTo(200);
    JsonNode file = json(uploaded);
    String id = file.get("id").asText();
    assertThat(id).startsWith("file-");
    assertThat(file.get("object").asText()).isEqualTo("file");
    assertThat(file.get("bytes").asLong()).isEqualTo(content.length);
    assertThat(file.get("filename").asText()).isEqualTo("input.jsonl");
    assertThat(file.get("purpose").asText()).isEqualTo("batch");
    assertThat(fixture.count("SELECT count(*) FROM file_chunks WHERE file_id = ?", id))
        .isEqualTo(3);
    assertThat(contentOf(client, id)).isEqualTo(content);
    assertThat(json(get(client, "/v1/files/" + id)).get("bytes").asLong())
        .isEqualTo(content.length);
    assertThat(json(get(client, "/v1/files")).at("/data/0/id").asText()).isEqualTo(id);

    HttpResponse<String> deleted = delete(client, "/v1/files/" + id);

    assertThat(json(deleted).get("deleted").asBoolean()).isTrue();
    assertThat(get(client, "/v1/files/" + id).statusCode()).isEqualTo(404);
    assertThat(fixture.count("SELECT count(*) FROM file_chunks WHERE file_id = ?", id)).isZero();
  }

  @Test
  void shouldRefuseAPurposeOtherThanBatchNamingPurposeAndKeepNothing() {
    JobApiFixture.Client client = fixture.newClient();

    HttpResponse<String> response = upload(client, "fine-tune", "x.jsonl", validLines(2));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(json(response).at("/error/fields/0/field").asText()).isEqualTo("purpose");
    assertThat(filesOf(client)).isZero();
  }

  @Test
  void shouldRefuseAFileOverTheLimitWith413WhileStreamingAndKeepNothing() {
    JobApiFixture.Client client = fixture.newClient();
    byte[] content = new byte[(int) MAX_FILE_BYTES + 1];

    HttpResponse<String> response = upload(client, "batch", "big.jsonl", content);

    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(json(response).at("/error/type").asText()).isEqualTo("request_too_large");
    assertThat(json(response).at("/error/message").asText()).contains("" + MAX_FILE_BYTES);
    assertThat(filesOf(client)).isZero();
    assertThat(
            fixture.count(
                "SELECT count(*) FROM file_chunks c WHERE NOT EXISTS"
                    + " (SELECT 1 FROM files f WHERE f.id = c.file_id)"))
        .isZero();
  }

  /**
   * Only the request's head is sent at first: the answer must come without a byte of the body, and
   * the server's side of the connection then ends. The body sent after that is still read (and
   * dropped): a close with unread bytes would be a reset, which makes a client still sending lose
   * the 413 it was given.
   */
  @Test
  void shouldRefuseAnUploadWhoseDeclaredLengthIsOverTheLimitBeforeReadingIt() throws IOException {
    JobApiFixture.Client client = fixture.newClient();
    URI url = fixture.url("/v1/files");
    long declared = MAX_FILE_BYTES + 2 * 1024 * 1024;
    String head =
        "POST "
            + url.getRawPath()
            + " HTTP/1.1\r\nHost: "
            + url.getHost()
            + ":"
            + url.getPort()
            + "\r\nAuthorization: Bearer "
            + client.key
            + "\r\nContent-Type: multipart/form-data; boundary="
            + BOUNDARY
            + "\r\nContent-Length: "
            + declared
            + "\r\nConnection: close\r\n\r\n";

    String answer;
    try (Socket socket = new Socket(url.getHost(), url.getPort())) {
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      byte[] part = new byte[64 * 1024];
      for (long sent = 0; sent < declared; sent += part.length) { // a closed socket refuses it
        socket.getOutputStream().write(part, 0, (int) Math.min(part.length, declared - sent));
        socket.getOutputStream().flush();
      }
    }

    assertThat(answer).startsWith("HTTP/1.1 413");
    String body = answer.substring(answer.indexOf('{'), answer.lastIndexOf('}') + 1);
    assertThat(Json.mapper().readTree(body).at("/error/type").asText())
        .isEqualTo("request_too_large");
    assertThat(filesOf(client)).isZero();
  }

  /** The client of an SDK sends the whole body before it reads: it must see every 413. */
  @Test
  void shouldLetAClientThatSendsItsWholeOverLongBodyReadEvery413() {
    JobApiFixture.Client client = fixture.newClient();
    byte[] content = new byte[(int) MAX_FILE_BYTES * 4];

    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      statuses.add(upload(client, "batch", "big.jsonl", content).statusCode());
    }

    assertThat(statuses).containsOnly(413).hasSize(10);
    assertThat(filesOf(client)).isZero();
  }

  /**
   * The official OpenAI SDK reports an upload over the limit as its 413 with the limit's message
   * (OkHttp also reads an answer that came before a broken pipe, so it got it before the lingering
   * close too; {@link java.net.http.HttpClient} did not, above).
   */
  @Test
  void shouldGiveTheOfficialSdkItsStatusForAnUploadOverTheLimit() {
    JobApiFixture.Client client = fixture.newClient();
    byte[] content = new byte[(int) MAX_FILE_BYTES * 4];

    OpenAIClient openai =
        OpenAIOkHttpClient.builder()
            .baseUrl(fixture.url("/v1").toString())
            .apiKey(client.key)
            .maxRetries(0)
            .build();
    try {
      for (int i = 0; i < 5; i++) {
        // a FileCreateParams is sent once: its file part is a stream the first send reads
        FileCreateParams params =
            FileCreateParams.builder().file(content).purpose(FilePurpose.BATCH).build();
        assertThatThrownBy(() -> openai.files().create(params))
            .isInstanceOfSatisfying(
                OpenAIServiceException.class, e -> assertThat(e.statusCode()).isEqualTo(413));
      }
    } finally {
      openai.close();
    }
    assertThat(filesOf(client)).isZero();
  }

  @Test
  void shouldAnswer413ForAChunkedBodyThatOutgrowsTheServerLimitInAnotherPart() {
    JobApiFixture.Client client = fixture.newClient();
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(
        ("--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"padding\"\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8));
    body.writeBytes(new byte[(int) MAX_FILE_BYTES + 2 * 1024 * 1024]);
    body.writeBytes(("\r\n--" + BOUNDARY + "--\r\n").getBytes(StandardCharsets.UTF_8));
    byte[] bytes = body.toByteArray();

    HttpResponse<String> response =
        JobApiFixture.send(
            HttpRequest.newBuilder(fixture.url("/v1/files"))
                .header("Authorization", "Bearer " + client.key)
                .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                // no Content-Length: chunked, so the limit is met while the body is read
                .POST(
                    HttpRequest.BodyPublishers.ofInputStream(
                        () -> new java.io.ByteArrayInputStream(bytes))));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(413);
    assertThat(json(response).at("/error/type").asText()).isEqualTo("request_too_large");
    assertThat(filesOf(client)).isZero();
  }

  @Test
  void shouldTurnEveryLineIntoAJobLinkedToItsBatch() {
    JobApiFixture.Client client = fixture.newClient();
    String fileId = json(upload(client, "batch", "in.jsonl", validLines(5))).get("id").asText();

    HttpResponse<String> created = createBatch(client, fileId, "24h");

    assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
    String id = json(created).get("id").asText();
    assertThat(json(created).get("status").asText()).isEqualTo("validating");
    JsonNode batch = client.validated(id);
    assertThat(batch.get("object").asText()).isEqualTo("batch");
    assertThat(batch.get("status").asText()).isEqualTo("in_progress");
    assertThat(batch.get("in_progress_at").asLong())
        .isGreaterThanOrEqualTo(batch.get("created_at").asLong());
    assertThat(batch.at("/request_counts/total").asInt()).isEqualTo(5);
    assertThat(batch.at("/metadata/run").asText()).isEqualTo("nightly");
    assertThat(batch.at("/sluice/lane").asText()).isEqualTo("deferred");
    assertThat(
            fixture.query(
                "SELECT custom_id, mode, priority FROM jobs WHERE batch_id = ? ORDER BY custom_id",
                id))
        .containsExactly(
            List.of("line-0", "deferred", "bulk"),
            List.of("line-1", "deferred", "bulk"),
            List.of("line-2", "deferred", "bulk"),
            List.of("line-3", "deferred", "bulk"),
            List.of("line-4", "deferred", "bulk"));
    assertThat(json(get(client, "/v1/batches/" + id)).get("status").asText())
        .isEqualTo("in_progress");
    JsonNode listed = json(get(client, "/v1/jobs?batch=" + id + "&limit=10"));
    assertThat(listed.get("data")).hasSize(5);
    assertThat(json(get(fixture.newClient(), "/v1/jobs?batch=" + id)).get("data")).isEmpty();
    assertThat(get(client, "/v1/jobs?batch=nope").statusCode()).isEqualTo(400);
    assertThat(json(get(client, "/v1/batches")).at("/data/0/id").asText()).isEqualTo(id);
  }

  @Test
  void shouldRunAShortWindowOnTheRealtimeLanesWithTheWindowAsDeadline() {
    JobApiFixture.Client client = fixture.newClient();
    String fileId = json(upload(client, "batch", "in.jsonl", validLines(2))).get("id").asText();

    JsonNode batch = client.validated(json(createBatch(client, fileId, "1h")).get("id").asText());

    assertThat(batch.get("status").asText()).isEqualTo("in_progress");
    assertThat(batch.get("expires_at").asLong() - batch.get("created_at").asLong()).isEqualTo(3600);
    assertThat(
            fixture.query(
                "SELECT DISTINCT mode, floor(extract(epoch FROM deadline))::bigint FROM jobs"
                    + " WHERE batch_id = ?",
                batch.get("id").asText()))
        .containsExactly(List.of("realtime", batch.get("expires_at").asLong()));
  }

  @Test
  void shouldFailABatchNamingEachBadLineAndCreateNoJob() {
    JobApiFixture.Client client = fixture.newClient();
    ByteArrayOutputStream file = new ByteArrayOutputStream();
    List<byte[]> lines = new ArrayList<>();
    lines.add(line("ok-1", "gpt-4o-mini", "reverse: abc"));
    lines.add("{\"custom_id\": \"broken\", ".getBytes(StandardCharsets.UTF_8));
    lines.add(
        ("{\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":"
                + "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}}")
            .getBytes(StandardCharsets.UTF_8));
    lines.add(line("ok-1", "gpt-4o-mini", "again"));
    lines.add(
        new String(line("get", "gpt-4o-mini", "x"), StandardCharsets.UTF_8)
            .replace("\"POST\"", "\"GET\"")
            .getBytes(StandardCharsets.UTF_8));
    lines.add(
        new String(line("url", "gpt-4o-mini", "x"), StandardCharsets.UTF_8)
            .replace("/v1/chat/completions", "/v1/embeddings")
            .getBytes(StandardCharsets.UTF_8));
    lines.add(line("model", "no-such-model", "x"));
    lines.add(line("long", "gpt-4o-mini", "y".repeat(MAX_LINE_BYTES)));
    byte[] latin1 = line("latin1", "gpt-4o-mini", "caf\u00e9");
    lines.add(new String(latin1, StandardCharsets.UTF_8).getBytes(StandardCharsets.ISO_8859_1));
    for (byte[] line : lines) {
      file.writeBytes(line);
      file.write('\n');
    }
    String fileId =
        json(upload(client, "batch", "bad.jsonl", file.toByteArray())).get("id").asText();

    HttpResponse<String> created = createBatch(client, fileId, "24h");

    assertThat(created.statusCode()).isEqualTo(200);
    JsonNode batch = client.validated(json(created).get("id").asText());
    assertThat(batch.get("status").asText()).isEqualTo("failed");
    assertThat(batch.get("failed_at").isNumber()).isTrue();
    List<String> errors = new ArrayList<>();
    batch
        .at("/errors/data")
        .forEach(e -> errors.add(e.get("line").asInt() + " " + e.get("code").asText()));
    assertThat(errors)
        .containsExactly(
            "2 invalid_json_line",
            "3 missing_custom_id",
            "4 duplicate_custom_id",
            "5 invalid_method",
            "6 invalid_url",
            "7 model_not_found",
            "8 line_too_large",
            "9 invalid_encoding");
    assertThat(batch.at("/errors/data/5/message").asText()).contains("line 7").contains("model");
    assertThat(batch.at("/request_counts/total").asInt()).isZero();
    assertThat(client.jobCount()).isZero();
    assertThat(
            fixture.count(
                "SELECT count(*) FROM outbox WHERE payload LIKE ?", "%" + client.tenant.id() + "%"))
        .isZero();
  }

  @Test
  void shouldEnqueueABatchFailedWebhookForTheTenantsEndpoints() throws Exception {
    JobApiFixture.Client client = fixture.newClient();
    HttpResponse<String> endpoint =
        post(client, "/v1/webhook-endpoints", "{\"url\":\"http://127.0.0.1:9/hook\"}");
    assertThat(endpoint.statusCode()).as(endpoint.body()).isEqualTo(201);
    String fileId = json(upload(client, "batch", "empty.jsonl", new byte[0])).get("id").asText();

    String batchId = json(createBatch(client, fileId, "24h")).get("id").asText();
    client.validated(batchId);

    List<List<Object>> deliveries =
        fixture.query(
            "SELECT event_type, payload FROM webhook_deliveries WHERE job_id = ?", batchId);
    assertThat(deliveries).hasSize(1);
    assertThat(deliveries.getFirst().get(0)).isEqualTo("batch.failed");
    JsonNode payload =
        io.sluice.schemas.json.Json.mapper().readTree(deliveries.getFirst().get(1).toString());
    assertThat(payload.at("/data/id").asText()).isEqualTo(batchId);
    assertThat(payload.at("/data/status").asText()).isEqualTo("failed");
  }

  @Test
  void shouldFailABatchOfAnEmptyFile() {
    JobApiFixture.Client client = fixture.newClient();
    String fileId = json(upload(client, "batch", "empty.jsonl", new byte[0])).get("id").asText();

    JsonNode batch = client.validated(json(createBatch(client, fileId, "24h")).get("id").asText());

    assertThat(batch.get("status").asText()).isEqualTo("failed");
    assertThat(batch.at("/errors/data/0/code").asText()).isEqualTo("empty_file");
    assertThat(client.jobCount()).isZero();
  }

  @Test
  void shouldRefuseABadBatchRequestNamingTheField() {
    JobApiFixture.Client client = fixture.newClient();
    String fileId = json(upload(client, "batch", "in.jsonl", validLines(1))).get("id").asText();

    assertThat(badField(client, body(fileId, "/v1/embeddings", "24h"))).isEqualTo("endpoint");
    assertThat(badField(client, body(fileId, "/v1/chat/completions", "48h")))
        .isEqualTo("completion_window");
    assertThat(
            badField(client, body("file-000000000000000000000000", "/v1/chat/completions", "24h")))
        .isEqualTo("input_file_id");
    assertThat(badField(client, "{\"input_file_id\": 3}")).isEqualTo("input_file_id");
    assertThat(
            fixture.count("SELECT count(*) FROM batches WHERE tenant_id = ?", client.tenant.id()))
        .isZero();
    assertThat(client.jobCount()).isZero();
  }

  @Test
  void shouldHideOneTenantsFilesAndBatchesFromAnother() {
    JobApiFixture.Client owner = fixture.newClient();
    JobApiFixture.Client other = fixture.newClient();
    String fileId = json(upload(owner, "batch", "in.jsonl", validLines(1))).get("id").asText();
    String batchId = json(createBatch(owner, fileId, "24h")).get("id").asText();

    assertThat(get(other, "/v1/files/" + fileId).statusCode()).isEqualTo(404);
    assertThat(get(other, "/v1/files/" + fileId + "/content").statusCode()).isEqualTo(404);
    assertThat(delete(other, "/v1/files/" + fileId).statusCode()).isEqualTo(404);
    assertThat(get(other, "/v1/batches/" + batchId).statusCode()).isEqualTo(404);
    assertThat(post(other, "/v1/batches/" + batchId + "/cancel", "").statusCode()).isEqualTo(404);
    assertThat(badField(other, body(fileId, "/v1/chat/completions", "24h")))
        .isEqualTo("input_file_id");
    assertThat(json(get(other, "/v1/files")).get("data")).isEmpty();
    assertThat(json(get(other, "/v1/batches")).get("data")).isEmpty();
    assertThat(get(owner, "/v1/files/" + fileId).statusCode()).isEqualTo(200);
  }

  @Test
  void shouldPageBatchesWithOpenAiCursors() {
    JobApiFixture.Client client = fixture.newClient();
    String fileId = json(upload(client, "batch", "in.jsonl", validLines(1))).get("id").asText();
    List<String> created = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      created.add(json(createBatch(client, fileId, "24h")).get("id").asText());
    }

    JsonNode first = json(get(client, "/v1/batches?limit=2"));
    JsonNode second =
        json(get(client, "/v1/batches?limit=2&after=" + first.get("last_id").asText()));

    assertThat(first.get("has_more").asBoolean()).isTrue();
    assertThat(first.get("first_id").asText()).isEqualTo(created.get(2));
    assertThat(first.get("last_id").asText()).isEqualTo(created.get(1));
    assertThat(second.get("has_more").asBoolean()).isFalse();
    assertThat(second.at("/data/0/id").asText()).isEqualTo(created.get(0));
    assertThat(get(client, "/v1/batches?limit=0").statusCode()).isEqualTo(400);
  }

  @Test
  void shouldMoveACancelledBatchToCancellingAndSendItsJobsCancels() {
    JobApiFixture.Client client = fixture.newClient();
    String fileId = json(upload(client, "batch", "in.jsonl", validLines(3))).get("id").asText();
    String batchId = json(createBatch(client, fileId, "24h")).get("id").asText();
    assertThat(client.validated(batchId).get("status").asText()).isEqualTo("in_progress");

    JsonNode cancelled = json(post(client, "/v1/batches/" + batchId + "/cancel", ""));

    assertThat(cancelled.get("status").asText()).isEqualTo("cancelling");
    assertThat(cancelled.get("cancelling_at").isNumber()).isTrue();
    org.awaitility.Awaitility.await()
        .atMost(java.time.Duration.ofSeconds(10))
        .until(
            () ->
                fixture.count("SELECT count(*) FROM batches WHERE id = ? AND cancels_sent", batchId)
                    == 1);
  }

  @Test
  void shouldTakeInABatchLeftValidatingOnceNoOtherInstanceHoldsIt() throws Exception {
    JobApiFixture.Client client = fixture.newClient();
    String fileId = json(upload(client, "batch", "in.jsonl", validLines(4))).get("id").asText();
    String left = "batch_" + "0".repeat(31) + "1";
    try (Connection other = connect()) {
      // Another instance that stored the batch and is taking it in (or crashed doing so).
      hold(other, left);
      fixture.execute(
          "INSERT INTO batches (id, tenant_id, input_file_id, endpoint, completion_window, status,"
              + " metadata, created_at, expires_at) VALUES ('"
              + left
              + "', '"
              + client.tenant.id()
              + "', '"
              + fileId
              + "', '/v1/chat/completions', '24h', 'validating', '{}', now() - interval '1 minute',"
              + " now() + interval '1 day')");

      String next = json(createBatch(client, fileId, "24h")).get("id").asText();

      assertThat(client.validated(next).get("status").asText()).isEqualTo("in_progress");
      assertThat(json(get(client, "/v1/batches/" + left)).get("status").asText())
          .as("held by another intake: skipped, not taken in twice")
          .isEqualTo("validating");
    }

    JsonNode taken = client.validated(left);

    assertThat(taken.get("status").asText()).isEqualTo("in_progress");
    assertThat(taken.at("/request_counts/total").asInt()).isEqualTo(4);
    assertThat(fixture.count("SELECT count(*) FROM jobs WHERE batch_id = ?", left)).isEqualTo(4);
  }

  @Test
  void shouldEndABatchCancelledWhileValidatingCancelledWithNoJob() throws Exception {
    JobApiFixture.Client client = fixture.newClient();
    String fileId = json(upload(client, "batch", "in.jsonl", validLines(3))).get("id").asText();
    String batchId;
    try (Connection reader = connect()) {
      // The intake waits to read the input file, inside its transaction.
      reader.setAutoCommit(false);
      reader.createStatement().execute("LOCK TABLE file_chunks IN ACCESS EXCLUSIVE MODE");
      batchId = json(createBatch(client, fileId, "24h")).get("id").asText();
      // until the intake has taken the batch in and waits for the lock, a cancel ends it at once
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  fixture.count(
                      "SELECT count(*) FROM pg_locks"
                          + " WHERE relation = 'file_chunks'::regclass AND NOT granted"),
              waiting -> waiting > 0);

      JsonNode cancelling = json(post(client, "/v1/batches/" + batchId + "/cancel", ""));

      assertThat(cancelling.get("status").asText()).isEqualTo("cancelling");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> json(get(client, "/v1/batches/" + batchId)).get("status").asText(),
              "cancelled"::equals);
      reader.rollback();
    }
    // The intake then reads the file and rolls back; the loop takes in the next batch after it.
    String next = json(createBatch(client, fileId, "24h")).get("id").asText();
    assertThat(client.validated(next).get("status").asText()).isEqualTo("in_progress");

    JsonNode cancelled = json(get(client, "/v1/batches/" + batchId));
    assertThat(cancelled.get("status").asText()).isEqualTo("cancelled");
    assertThat(cancelled.at("/request_counts/total").asInt()).isZero();
    assertThat(fixture.count("SELECT count(*) FROM jobs WHERE batch_id = ?", batchId)).isZero();
  }

  /**
   * A cancel reads the batch, then moves it on the condition that its status is still the one read.
   * Here the batch's intake ends between the two (the test holds the batch's row until the cancel's
   * move waits for it, then moves it to {@code in_progress} as an intake does): the cancel must
   * land on the new status, not answer with it.
   */
  @Test
  void shouldCancelABatchWhoseStatusMovesBetweenTheCancelsReadAndItsMove() throws Exception {
    JobApiFixture.Client client = fixture.newClient();
    String fileId = json(upload(client, "batch", "in.jsonl", validLines(3))).get("id").asText();
    try (Connection intakeBlocker = connect();
        Connection row = connect()) {
      intakeBlocker.setAutoCommit(false);
      intakeBlocker.createStatement().execute("LOCK TABLE file_chunks IN ACCESS EXCLUSIVE MODE");
      String batchId = json(createBatch(client, fileId, "24h")).get("id").asText();
      row.setAutoCommit(false);
      try (PreparedStatement lock =
          row.prepareStatement("SELECT 1 FROM batches WHERE id = ? FOR UPDATE")) {
        lock.setString(1, batchId);
        lock.executeQuery().close();
      }

      CompletableFuture<HttpResponse<String>> cancel =
          CompletableFuture.supplyAsync(
              () -> post(client, "/v1/batches/" + batchId + "/cancel", ""));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () ->
                  fixture.count(
                          "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                              + " AND query LIKE 'UPDATE batches SET status%cancelling_at%'")
                      == 1);
      try (PreparedStatement move =
          row.prepareStatement(
              "UPDATE batches SET status = 'in_progress', in_progress_at = now() WHERE id = ?")) {
        move.setString(1, batchId);
        assertThat(move.executeUpdate()).isEqualTo(1);
      }
      row.commit();

      HttpResponse<String> answer = cancel.get(30, TimeUnit.SECONDS);
      assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
      assertThat(json(answer).get("status").asText()).isEqualTo("cancelling");
      intakeBlocker.rollback();
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> json(get(client, "/v1/batches/" + batchId)).get("status").asText(),
              "cancelled"::equals);
    }
  }

  @Test
  void shouldFailABatchWhoseIntakeKeepsFailingWithoutHoldingUpTheNext() {
    JobApiFixture.Client client = fixture.newClient();
    fixture.execute(
        "CREATE OR REPLACE FUNCTION test_poison_line() RETURNS trigger LANGUAGE plpgsql AS $$"
            + " BEGIN IF NEW.custom_id = 'poison' THEN"
            + " RAISE EXCEPTION 'refused by a test trigger' USING ERRCODE = '22000'; END IF;"
            + " RETURN NEW; END $$");
    fixture.execute(
        "CREATE TRIGGER test_poison_line BEFORE INSERT ON jobs FOR EACH ROW"
            + " EXECUTE FUNCTION test_poison_line()");
    try {
      String poisonFile =
          json(upload(client, "batch", "poison.jsonl", line("poison", "gpt-4o-mini", "x")))
              .get("id")
              .asText();
      String goodFile = json(upload(client, "batch", "in.jsonl", validLines(2))).get("id").asText();
      String poisoned = json(createBatch(client, poisonFile, "24h")).get("id").asText();
      String next = json(createBatch(client, goodFile, "24h")).get("id").asText();

      JsonNode failed = client.validated(poisoned);

      assertThat(failed.get("status").asText()).isEqualTo("failed");
      assertThat(failed.at("/errors/data/0/code").asText()).isEqualTo("internal_error");
      assertThat(failed.at("/errors/data/0/message").asText())
          .contains("3 attempts")
          .doesNotContain("refused by a test trigger");
      assertThat(client.validated(next).get("status").asText()).isEqualTo("in_progress");
      assertThat(fixture.count("SELECT count(*) FROM jobs WHERE batch_id = ?", poisoned)).isZero();
    } finally {
      fixture.execute("DROP TRIGGER test_poison_line ON jobs");
    }
  }

  private static Connection connect() throws SQLException {
    return DriverManager.getConnection(
        fixture.database.jdbcUrl(), fixture.database.username(), fixture.database.password());
  }

  // The advisory lock with which an intake holds a batch (BatchRepository.tryHold).
  private static void hold(Connection connection, String batchId) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement("SELECT pg_advisory_lock(?, hashtext(?))")) {
      statement.setInt(1, 0x5b17c4);
      statement.setString(2, batchId);
      statement.executeQuery().close();
    }
  }

  private static String badField(JobApiFixture.Client client, String body) {
    HttpResponse<String> response = post(client, "/v1/batches", body);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(400);
    return json(response).at("/error/fields/0/field").asText();
  }

  private static String body(String fileId, String endpoint, String window) {
    return "{\"input_file_id\":\""
        + fileId
        + "\",\"endpoint\":\""
        + endpoint
        + "\",\"completion_window\":\""
        + window
        + "\",\"metadata\":{\"run\":\"nightly\"}}";
  }

  private static HttpResponse<String> createBatch(
      JobApiFixture.Client client, String fileId, String window) {
    return post(client, "/v1/batches", body(fileId, "/v1/chat/completions", window));
  }

  static byte[] validLines(int count) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    String[] models = {"gpt-4o-mini", "claude-haiku-4-5", "gemini-2.5-flash"};
    for (int i = 0; i < count; i++) {
      out.writeBytes(line("line-" + i, models[i % models.length], "reverse: abc" + i));
      out.write('\n');
    }
    return out.toByteArray();
  }

  private static byte[] line(String customId, String model, String prompt) {
    return ("{\"custom_id\":\""
            + customId
            + "\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":{\"model\":\""
            + model
            + "\",\"messages\":[{\"role\":\"user\",\"content\":\""
            + prompt
            + "\"}],\"max_tokens\":64}}")
        .getBytes(StandardCharsets.UTF_8);
  }

  private long filesOf(JobApiFixture.Client client) {
    return fixture.count("SELECT count(*) FROM files WHERE tenant_id = ?", client.tenant.id());
  }

  private static HttpResponse<String> upload(
      JobApiFixture.Client client, String purpose, String filename, byte[] content) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(
        ("--"
                + BOUNDARY
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                + filename
                + "\"\r\nContent-Type: application/jsonl\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8));
    body.writeBytes(content);
    body.writeBytes(
        ("\r\n--"
                + BOUNDARY
                + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\n"
                + purpose
                + "\r\n--"
                + BOUNDARY
                + "--\r\n")
            .getBytes(StandardCharsets.UTF_8));
    return JobApiFixture.send(
        HttpRequest.newBuilder(fixture.url("/v1/files"))
            .header("Authorization", "Bearer " + client.key)
            .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
  }

  private static byte[] contentOf(JobApiFixture.Client client, String fileId) {
    try {
      HttpResponse<byte[]> response =
          java.net.http.HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(fixture.url("/v1/files/" + fileId + "/content"))
                      .header("Authorization", "Bearer " + client.key)
                      .build(),
                  HttpResponse.BodyHandlers.ofByteArray());
      assertThat(response.statusCode()).isEqualTo(200);
      return response.body();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  private static HttpResponse<String> get(JobApiFixture.Client client, String path) {
    return JobApiFixture.send(
        HttpRequest.newBuilder(fixture.url(path))
            .header("Authorization", "Bearer " + client.key)
            .GET());
  }

  private static HttpResponse<String> delete(JobApiFixture.Client client, String path) {
    return JobApiFixture.send(
        HttpRequest.newBuilder(fixture.url(path))
            .header("Authorization", "Bearer " + client.key)
            .DELETE());
  }

  private static HttpResponse<String> post(JobApiFixture.Client client, String path, String body) {
    return JobApiFixture.send(
        HttpRequest.newBuilder(fixture.url(path))
            .header("Authorization", "Bearer " + client.key)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)));
  }
}
