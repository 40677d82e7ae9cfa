package io.sluice.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.bench.intake.PlatformProcess;
import io.sluice.bench.mapreduce.NeedleDocument;
import io.sluice.launcher.client.SluiceClient;
import io.sluice.schemas.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Issue 13's map-reduce benchmark ({@code mapreduce}): {@code sluice local} in a child JVM on the
 * simulator's {@code openai-tier1} profile (gpt-4o-mini: 500 RPM, 200,000 TPM), one map-reduce job
 * over a document of 2,000,000+ tokens — map "count occurrences of \"zebra\"", reduce "sum the
 * numbers" — whose exact total is counted from the text. Measured: the answer against that count,
 * chunks / depth / calls against {@code POST /v1/jobs/estimate}, the time from submission to the
 * answer against the lower bound the limits allow (tokens admitted ÷ TPM, less the minute of tokens
 * a full bucket holds at the start), and the cost.
 */
final class MapReduceRunner {
  static final int DOCUMENT_TOKENS = 2_000_000;
  static final String PROFILE = "openai-tier1";
  static final String MODEL = "gpt-4o-mini";
  static final long TPM = 200_000;
  static final int CHUNK_TOKENS = 4_000;
  static final int MAP_MAX_TOKENS = 16;
  private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
  private static final Duration POLL = Duration.ofSeconds(2);

  private final String profile;
  private final Duration timeout;
  private final Path logDir;

  MapReduceRunner(String profile, Duration timeout, Path logDir) {
    this.profile = profile;
    this.timeout = timeout;
    this.logDir = logDir;
  }

  Map<String, Object> run() throws Exception {
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("scenario", BenchOptions.MAPREDUCE);
    result.put("profile", profile);
    NeedleDocument document = NeedleDocument.generate(DOCUMENT_TOKENS, 0.001, 13);
    result.put("document_tokens_o200k", document.tokens());
    result.put("document_bytes", document.text().length());
    result.put("needles_counted", document.needles());
    System.out.printf(
        "  document: %,d tokens, %,d bytes, %,d needles%n",
        document.tokens(), document.text().length(), document.needles());
    Path data = Files.createTempDirectory("sluice-mapreduce");
    try (PlatformProcess platform =
        PlatformProcess.start(
            data,
            logDir.resolve("sluice-local-mapreduce.log"),
            "1g",
            List.of("--profile", profile))) {
      URI api = platform.awaitApi(START_TIMEOUT);
      System.out.println("  sluice local (pid " + platform.pid() + ") serves " + api);
      measure(api, platform.apiKey(), document, result);
      result.put("platform_exit_code", platform.stop());
    } finally {
      IntakeRunner.deleteRecursively(data);
    }
    return result;
  }

  private void measure(URI api, String key, NeedleDocument document, Map<String, Object> result)
      throws IOException, InterruptedException {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("type", "map_reduce");
    body.put("model", MODEL);
    body.put("document", document.text());
    body.put("chunk_tokens", CHUNK_TOKENS);
    body.put(
        "map",
        Map.of(
            "instruction",
            "count occurrences of \"" + document.needle() + "\"",
            "max_tokens",
            MAP_MAX_TOKENS));
    body.put("reduce", Map.of("instruction", "sum the numbers", "max_tokens", MAP_MAX_TOKENS));
    byte[] json = Json.mapper().writeValueAsBytes(body);
    HttpClient http = HttpClient.newHttpClient();
    JsonNode estimate = post(http, api.resolve("/v1/jobs/estimate"), key, json, 200);
    result.put("estimate", estimate);
    long start = System.nanoTime();
    JsonNode accepted = post(http, api.resolve("/v1/jobs"), key, json, 202);
    long acceptedAt = System.nanoTime();
    String id = accepted.path("id").asText();
    List<Map<String, Object>> progress = new ArrayList<>();
    JsonNode job;
    String last = "";
    try (SluiceClient client = new SluiceClient(api, key)) {
      while (true) {
        job = client.job(id);
        String now =
            job.path("status").asText() + " " + job.path("progress").path("phase").asText();
        int done = job.path("progress").path("chunks_done").asInt();
        if (!now.equals(last) || progress.isEmpty() || done % 50 == 0) {
          progress.add(
              Map.of(
                  "at_s",
                  (System.nanoTime() - start) / 1e9,
                  "status",
                  job.path("status").asText(),
                  "phase",
                  job.path("progress").path("phase").asText(),
                  "chunks_done",
                  done));
          last = now;
        }
        if (isTerminal(job) || System.nanoTime() - start > timeout.toNanos()) {
          break;
        }
        Thread.sleep(POLL);
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    long admitted = admittedTokens(estimate);
    double bound = admitted * 60.0 / TPM;
    double boundAfterBurst = Math.max(0, admitted - TPM) * 60.0 / TPM;
    result.put("job_id", id);
    result.put("accept_s", (acceptedAt - start) / 1e9);
    result.put("status", job.path("status").asText());
    result.put("output", job.path("output").asText());
    result.put(
        "answer_correct", Objects.equals(job.path("output").asText(), "" + document.needles()));
    result.put("progress_final", job.path("progress"));
    result.put("cost_usd", job.path("cost_usd"));
    result.put("usage", job.path("usage"));
    result.put("attempts", job.path("attempts"));
    result.put("seconds_to_answer", seconds);
    result.put("admitted_tokens", admitted);
    result.put("lower_bound_s", bound);
    result.put("lower_bound_after_first_minute_burst_s", boundAfterBurst);
    result.put("progress_timeline", progress);
    System.out.printf(
        "  mapreduce: %s, answer %s (counted %d), %d chunks, depth %s, %s calls in %.0f s;"
            + " bound %.0f s (%.0f s after the first minute's burst); cost $%s (estimate $%s)%n",
        job.path("status").asText(),
        job.path("output").asText(),
        document.needles(),
        job.path("progress").path("chunks_total").asInt(),
        job.path("progress").path("tree_depth").asText(),
        job.path("attempts").asText(),
        seconds,
        bound,
        boundAfterBurst,
        job.path("cost_usd").asText(),
        estimate.path("cost_usd").path("realtime").asText());
  }

  /** What the limiter admits: each call's prompt estimate plus its max_tokens (OpenAI's count). */
  private static long admittedTokens(JsonNode estimate) {
    return estimate.path("input_tokens").asLong()
        + estimate.path("calls").asLong() * MAP_MAX_TOKENS;
  }

  private static boolean isTerminal(JsonNode job) {
    return switch (job.path("status").asText()) {
      case "succeeded", "failed", "cancelled", "expired" -> true;
      default -> false;
    };
  }

  private static JsonNode post(HttpClient http, URI uri, String key, byte[] body, int expected)
      throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(uri)
                .timeout(Duration.ofMinutes(2))
                .header("Authorization", "Bearer " + key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != expected) {
      throw new IllegalStateException(
          uri.getPath() + " answered " + response.statusCode() + ": " + response.body());
    }
    return Json.mapper().readTree(response.body());
  }
}
