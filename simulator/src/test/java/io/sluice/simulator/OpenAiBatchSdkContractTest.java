package io.sluice.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.ObjectMappers;
import com.openai.core.http.HttpResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.RateLimitException;
import com.openai.models.batches.Batch;
import com.openai.models.batches.BatchCreateParams;
import com.openai.models.batches.BatchError;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.files.FileCreateParams;
import com.openai.models.files.FileObject;
import com.openai.models.files.FilePurpose;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Files and Batches through the official OpenAI SDK (retries off, strict validation). */
class OpenAiBatchSdkContractTest {
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private final ManualClock clock = new ManualClock(T0);
  private Simulator simulator;
  private OpenAIClient client;

  private void start(BatchSettings batches) {
    start(batches, BatchQueueLimits.NONE);
  }

  private void start(BatchSettings batches, BatchQueueLimits limits) {
    simulator =
        Simulator.start(
            SimulatorConfig.builder()
                .clock(clock)
                .latency(LatencySettings.NONE)
                .batches(batches)
                .batchLimits(limits)
                .build());
    client =
        OpenAIOkHttpClient.builder()
            .apiKey("sk-test")
            .baseUrl(simulator.baseUrl() + "/v1")
            .maxRetries(0)
            .responseValidation(true)
            .build();
  }

  @AfterEach
  void stop() {
    client.close();
    simulator.close();
  }

  @Test
  void shouldRunABatchFromUploadToOutputAndErrorFiles() {
    start(BatchSettings.DEFAULT);
    FileObject input =
        upload(
            line("a", "reverse: abc"),
            line("b", "uppercase: hi"),
            line("c", "#sim error=400\\nreverse: x"),
            line("d", "sum: 1 2 3"));

    Batch created = create(input.id());
    Batch validating = client.batches().retrieve(created.id());
    clock.advance(Duration.ofMillis(600));
    Batch running = client.batches().retrieve(created.id());
    clock.advance(Duration.ofSeconds(2));
    Batch done = client.batches().retrieve(created.id());

    assertThat(input.purpose()).isEqualTo(FileObject.Purpose.BATCH);
    assertThat(created.status()).isEqualTo(Batch.Status.VALIDATING);
    assertThat(validating.status()).isEqualTo(Batch.Status.VALIDATING);
    assertThat(running.status()).isEqualTo(Batch.Status.IN_PROGRESS);
    assertThat(running.requestCounts().orElseThrow().total()).isEqualTo(4);
    assertThat(done.status()).isEqualTo(Batch.Status.COMPLETED);
    assertThat(done.completedAt()).isPresent();
    assertThat(done.requestCounts().orElseThrow().completed()).isEqualTo(3);
    assertThat(done.requestCounts().orElseThrow().failed()).isEqualTo(1);

    Map<String, JsonNode> output = lines(done.outputFileId().orElseThrow());
    assertThat(output.keySet()).containsExactlyInAnyOrder("a", "b", "d");
    assertThat(answer(output.get("a"))).isEqualTo("cba");
    assertThat(answer(output.get("b"))).isEqualTo("HI");
    assertThat(answer(output.get("d"))).isEqualTo("6");
    assertThat(output.get("a").path("response").path("status_code").asInt()).isEqualTo(200);
    assertThat(output.get("a").path("error").isNull()).isTrue();

    Map<String, JsonNode> errors = lines(done.errorFileId().orElseThrow());
    assertThat(errors.keySet()).containsExactly("c");
    assertThat(errors.get("c").path("response").path("status_code").asInt()).isEqualTo(400);
    assertThat(errors.get("c").path("response").path("body").path("error").path("message").asText())
        .isNotBlank();
    assertThat(client.files().retrieve(done.outputFileId().orElseThrow()).purpose())
        .isEqualTo(FileObject.Purpose.BATCH_OUTPUT);
  }

  @Test
  void shouldCancelABatchInProgress() {
    start(BatchSettings.DEFAULT.withProcessingTime(Duration.ofSeconds(10)));
    Batch created = create(upload(line("a", "reverse: a"), line("b", "reverse: b")).id());
    clock.advance(Duration.ofSeconds(6));

    Batch cancelling = client.batches().cancel(created.id());
    clock.advance(Duration.ofSeconds(1));
    Batch cancelled = client.batches().retrieve(created.id());

    assertThat(cancelling.status()).isEqualTo(Batch.Status.CANCELLING);
    assertThat(cancelling.cancellingAt()).isPresent();
    assertThat(cancelled.status()).isEqualTo(Batch.Status.CANCELLED);
    assertThat(cancelled.requestCounts().orElseThrow().completed()).isEqualTo(1);
    assertThat(lines(cancelled.outputFileId().orElseThrow())).hasSize(1);
    Map<String, JsonNode> errors = lines(cancelled.errorFileId().orElseThrow());
    assertThat(errors.values())
        .singleElement()
        .satisfies(
            e -> assertThat(e.path("error").path("code").asText()).isEqualTo("batch_cancelled"));
  }

  @Test
  void shouldExpireUnfinishedLinesAsBatchExpired() {
    start(
        BatchSettings.DEFAULT
            .withProcessingTime(Duration.ofHours(48))
            .withCompletionWindow(Duration.ofHours(24)));
    List<String> lines = new java.util.ArrayList<>();
    for (int i = 0; i < 10; i++) {
      lines.add(line("line-" + i, "sum: " + i));
    }
    Batch created = create(upload(lines.toArray(String[]::new)).id());

    clock.advance(Duration.ofHours(25));
    Batch expired = client.batches().retrieve(created.id());

    assertThat(expired.status()).isEqualTo(Batch.Status.EXPIRED);
    assertThat(expired.expiredAt()).hasValue(T0.plus(Duration.ofHours(24)).getEpochSecond());
    Map<String, JsonNode> output = lines(expired.outputFileId().orElseThrow());
    Map<String, JsonNode> errors = lines(expired.errorFileId().orElseThrow());
    assertThat(output).hasSize(4);
    assertThat(errors).hasSize(6);
    assertThat(errors.values())
        .allSatisfy(
            e -> assertThat(e.path("error").path("code").asText()).isEqualTo("batch_expired"));
    assertThat(expired.requestCounts().orElseThrow().completed()).isEqualTo(4);
  }

  @Test
  void shouldListBatchesAndRejectABadUpload() {
    start(BatchSettings.DEFAULT);
    Batch first = create(upload(line("a", "reverse: a")).id());
    Batch second = create(upload(line("a", "reverse: a")).id());

    List<String> ids = client.batches().list().data().stream().map(Batch::id).toList();

    assertThat(ids).contains(first.id(), second.id());
    assertThatThrownBy(() -> upload(line("a", "x"), line("a", "y")))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("Duplicate custom_id 'a'");
  }

  @Test
  void shouldReadABatchFailedForTheEnqueuedTokenLimit() {
    start(BatchSettings.DEFAULT, BatchQueueLimits.NONE.withEnqueuedTokens("gpt-4o-mini", 30));
    Batch first = create(upload(line("a", "sum: 1"), line("b", "sum: 2")).id());
    Batch second = create(upload(line("a", "sum: 1"), line("b", "sum: 2")).id());

    clock.advance(Duration.ofMillis(200));
    Batch failed = client.batches().retrieve(second.id());

    assertThat(client.batches().retrieve(first.id()).status()).isEqualTo(Batch.Status.IN_PROGRESS);
    assertThat(failed.status()).isEqualTo(Batch.Status.FAILED);
    assertThat(failed.failedAt()).isPresent();
    assertThat(failed.outputFileId()).isEmpty();
    BatchError error = failed.errors().orElseThrow().data().orElseThrow().getFirst();
    assertThat(error.code()).hasValue("token_limit_exceeded");
    assertThat(error.message())
        .hasValue(
            "Enqueued token limit reached for gpt-4o-mini in organization org-sluice-simulator:"
                + " Limit: 30 enqueued tokens. Please try again once some in_progress batches"
                + " have been completed.");
    assertThat(error.param()).isEmpty();
    assertThat(error.line()).isEmpty();
  }

  @Test
  void shouldGiveTheSdkARateLimitExceptionPastTheBatchCreationsPerHour() {
    start(BatchSettings.DEFAULT, BatchQueueLimits.NONE.withBatchCreationsPerHour(1));
    create(upload(line("a", "sum: 1")).id());
    String fileId = upload(line("a", "sum: 1")).id();

    RateLimitException e = catchThrowableOfType(RateLimitException.class, () -> create(fileId));
    clock.advance(Duration.ofHours(1));

    assertThat(e.statusCode()).isEqualTo(429);
    assertThat(e.code()).hasValue("rate_limit_exceeded");
    assertThat(e.headers().values("retry-after")).containsExactly("3600");
    assertThat(e.headers().values("retry-after-ms")).containsExactly("3600000");
    assertThat(create(fileId).status()).isEqualTo(Batch.Status.VALIDATING);
  }

  private FileObject upload(String... lines) {
    byte[] content = (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8);
    return client
        .files()
        .create(FileCreateParams.builder().file(content).purpose(FilePurpose.BATCH).build());
  }

  private Batch create(String fileId) {
    return client
        .batches()
        .create(
            BatchCreateParams.builder()
                .inputFileId(fileId)
                .endpoint(BatchCreateParams.Endpoint.V1_CHAT_COMPLETIONS)
                .completionWindow(BatchCreateParams.CompletionWindow._24H)
                .metadata(
                    BatchCreateParams.Metadata.builder()
                        .putAdditionalProperty("job", com.openai.core.JsonValue.from("j1"))
                        .build())
                .build());
  }

  private static String line(String customId, String prompt) {
    return "{\"custom_id\":\""
        + customId
        + "\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":{\"model\":\"gpt-4o-mini\","
        + "\"max_tokens\":50,\"messages\":[{\"role\":\"user\",\"content\":\""
        + prompt
        + "\"}]}}";
  }

  private Map<String, JsonNode> lines(String fileId) {
    try (HttpResponse response = client.files().content(fileId);
        InputStream body = response.body()) {
      String text = new String(body.readAllBytes(), StandardCharsets.UTF_8);
      Map<String, JsonNode> byId = new HashMap<>();
      text.lines()
          .filter(l -> !l.isBlank())
          .map(RawHttp::json)
          .forEach(n -> byId.put(n.path("custom_id").asText(), n));
      return byId;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The answer of an output line, parsed and validated by the SDK's own ChatCompletion model. */
  private static String answer(JsonNode line) {
    try {
      ChatCompletion completion =
          ObjectMappers.jsonMapper()
              .readValue(line.path("response").path("body").toString(), ChatCompletion.class)
              .validate();
      return completion.choices().getFirst().message().content().orElseThrow();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
