package io.sluice.launcher.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.HttpResponse;
import com.openai.models.batches.Batch;
import com.openai.models.batches.BatchCreateParams;
import com.openai.models.batches.BatchRequestCounts;
import com.openai.models.files.FileCreateParams;
import com.openai.models.files.FileObject;
import com.openai.models.files.FilePurpose;
import io.sluice.embedded.PostgresEndpoint;
import io.sluice.embedded.TestInfrastructure;
import io.sluice.schemas.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The official OpenAI Java SDK, unchanged but for its base URL and key, against {@code sluice
 * local}'s Files and Batches API on the real test Kafka broker and PostgreSQL: it uploads a JSONL
 * file that mixes OpenAI, Anthropic and Gemini models, creates a batch, polls it to {@code
 * completed}, downloads the output and error files and checks every line against the simulator's
 * deterministic answers; and it cancels another batch mid-run.
 */
class BulkBatchSdkTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir static Path dataDir;
  private static PostgresEndpoint database;
  private static LocalPlatform platform;
  private static OpenAIClient openai;

  @BeforeAll
  static void startPlatform() {
    database = TestInfrastructure.newDatabase();
    platform =
        LocalPlatform.startOn(
            new LocalOptions(dataDir, 0, "unlimited", Duration.ofMillis(5), 4),
            database,
            TestInfrastructure.kafka(),
            TestInfrastructure.uniqueName("bulk"));
    openai =
        OpenAIOkHttpClient.builder()
            .baseUrl(platform.apiUrl() + "/v1")
            .apiKey(platform.devApiKey())
            .maxRetries(0)
            .build();
  }

  @AfterAll
  static void stopPlatform() {
    openai.close();
    platform.close();
    database.close();
  }

  @Test
  void shouldRunABatchMixingOpenAiAnthropicAndGeminiModelsThroughTheOpenAiSdk() throws Exception {
    Map<String, String> expected = new LinkedHashMap<>();
    StringBuilder file = new StringBuilder();
    String[] models = {"gpt-4o-mini", "claude-haiku-4-5", "gemini-2.5-flash"};
    for (int i = 0; i < 9; i++) {
      String word = "bulk" + i + models[i % 3].charAt(0);
      file.append(line("req-" + i, models[i % 3], "reverse: " + word)).append('\n');
      expected.put("req-" + i, new StringBuilder(word).reverse().toString());
    }
    file.append(line("req-bad", "gpt-4o-mini", "#sim error=400\\nreverse: never")).append('\n');

    FileObject input = upload(file.toString());
    Batch batch = create(input.id(), "1h");
    assertThat(batch.status()).isIn(Batch.Status.VALIDATING, Batch.Status.IN_PROGRESS);
    Batch done = awaitEnd(batch.id());

    assertThat(done.status()).isEqualTo(Batch.Status.COMPLETED);
    BatchRequestCounts counts = done.requestCounts().orElseThrow();
    assertThat(counts.total()).isEqualTo(10);
    assertThat(counts.completed()).isEqualTo(9);
    assertThat(counts.failed()).isEqualTo(1);
    List<JsonNode> output = lines(done.outputFileId().orElseThrow());
    Map<String, String> outputs = new LinkedHashMap<>();
    for (JsonNode line : output) {
      assertThat(line.at("/response/status_code").asInt()).isEqualTo(200);
      assertThat(line.at("/response/body/object").asText()).isEqualTo("chat.completion");
      assertThat(line.get("error").isNull()).isTrue();
      outputs.put(
          line.get("custom_id").asText(),
          line.at("/response/body/choices/0/message/content").asText());
    }
    assertThat(outputs).containsExactlyInAnyOrderEntriesOf(expected);
    List<JsonNode> errors = lines(done.errorFileId().orElseThrow());
    assertThat(errors)
        .singleElement()
        .satisfies(e -> assertThat(e.get("custom_id").asText()).isEqualTo("req-bad"));
    assertThat(errors.getFirst().at("/error/code").asText()).isNotBlank();
    assertThat(openai.files().retrieve(done.outputFileId().orElseThrow()).bytes())
        .isEqualTo(bytesOf(done.outputFileId().orElseThrow()));
    assertThat(openai.batches().list().data()).extracting(Batch::id).contains(batch.id());
  }

  @Test
  void shouldCancelABatchMidRunKeepingFinishedLinesInTheOutputFile() throws Exception {
    StringBuilder file = new StringBuilder();
    file.append(line("quick-0", "gpt-4o-mini", "reverse: one")).append('\n');
    file.append(line("quick-1", "gpt-4o-mini", "reverse: two")).append('\n');
    for (int i = 0; i < 6; i++) {
      file.append(line("slow-" + i, "claude-haiku-4-5", "#sim hang=10000\\nreverse: slow"))
          .append('\n');
    }
    Batch batch = create(upload(file.toString()).id(), "1h");
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> counts(openai.batches().retrieve(batch.id())).completed() == 2);

    Batch cancelling = openai.batches().cancel(batch.id());
    assertThat(cancelling.status()).isIn(Batch.Status.CANCELLING, Batch.Status.CANCELLED);
    Batch done = awaitEnd(batch.id());

    assertThat(done.status()).isEqualTo(Batch.Status.CANCELLED);
    BatchRequestCounts counts = counts(done);
    assertThat(counts.total()).isEqualTo(8);
    assertThat(counts.completed()).isEqualTo(2);
    assertThat(counts.failed()).isEqualTo(6);
    assertThat(lines(done.outputFileId().orElseThrow()))
        .extracting(l -> l.get("custom_id").asText())
        .containsExactlyInAnyOrder("quick-0", "quick-1");
    List<JsonNode> errors = lines(done.errorFileId().orElseThrow());
    assertThat(errors).hasSize(6);
    assertThat(errors)
        .allSatisfy(e -> assertThat(e.at("/error/code").asText()).isEqualTo("batch_cancelled"));
  }

  private static BatchRequestCounts counts(Batch batch) {
    return batch.requestCounts().orElseThrow();
  }

  private static String line(String customId, String model, String prompt) {
    return "{\"custom_id\":\""
        + customId
        + "\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":{\"model\":\""
        + model
        + "\",\"messages\":[{\"role\":\"user\",\"content\":\""
        + prompt
        + "\"}],\"max_tokens\":64}}";
  }

  private static FileObject upload(String content) {
    return openai
        .files()
        .create(
            FileCreateParams.builder()
                .file(content.getBytes(StandardCharsets.UTF_8))
                .purpose(FilePurpose.BATCH)
                .build());
  }

  private static Batch create(String fileId, String window) {
    return openai
        .batches()
        .create(
            BatchCreateParams.builder()
                .inputFileId(fileId)
                .endpoint(BatchCreateParams.Endpoint.V1_CHAT_COMPLETIONS)
                .completionWindow(BatchCreateParams.CompletionWindow.of(window))
                .build());
  }

  private static Batch awaitEnd(String batchId) {
    List<Batch.Status> ended =
        List.of(
            Batch.Status.COMPLETED,
            Batch.Status.FAILED,
            Batch.Status.CANCELLED,
            Batch.Status.EXPIRED);
    return await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(250))
        .until(() -> openai.batches().retrieve(batchId), b -> ended.contains(b.status()));
  }

  private static List<JsonNode> lines(String fileId) throws IOException {
    List<JsonNode> lines = new ArrayList<>();
    for (String text : new String(content(fileId), StandardCharsets.UTF_8).split("\n")) {
      if (!text.isBlank()) {
        lines.add(Json.mapper().readTree(text));
      }
    }
    return lines;
  }

  private static long bytesOf(String fileId) throws IOException {
    return content(fileId).length;
  }

  private static byte[] content(String fileId) throws IOException {
    try (HttpResponse response = openai.files().content(fileId);
        InputStream body = response.body()) {
      return body.readAllBytes();
    }
  }
}
