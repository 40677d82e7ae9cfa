package io.sluice.bench.deferred;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The nightly run's client of the job API: submits with an {@code Idempotency-Key} and retries what
 * the API asks to be retried (429, 503, 409 in flight, a lost connection), reads jobs back.
 */
public final class JobClient {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Set<Integer> RETRIABLE = Set.of(409, 429, 500, 502, 503, 504);
  private static final Duration FIRST_BACKOFF = Duration.ofMillis(200);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(5);
  private static final int MAX_TRIES = 30;

  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();
  private final URI api;
  private final String apiKey;
  private final AtomicLong retries = new AtomicLong();

  public JobClient(URI api, String apiKey) {
    this.api = api;
    this.apiKey = apiKey;
  }

  /** Submits a job and returns its ID. */
  public String submit(DeferredJob job, String run) throws IOException, InterruptedException {
    byte[] body = JSON.writeValueAsBytes(job.requestBody(run));
    HttpRequest request =
        HttpRequest.newBuilder(api.resolve("/v1/jobs"))
            .timeout(Duration.ofSeconds(60))
            .header("Authorization", "Bearer " + apiKey)
            .header("Content-Type", "application/json")
            .header("Idempotency-Key", job.idempotencyKey(run))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    return send(request, "submit job " + job.index()).path("id").asText();
  }

  /** Reads a job back and checks its answer. */
  public JobOutcome outcome(String jobId, DeferredJob job)
      throws IOException, InterruptedException {
    HttpRequest request =
        HttpRequest.newBuilder(api.resolve("/v1/jobs/" + jobId))
            .timeout(Duration.ofSeconds(60))
            .header("Authorization", "Bearer " + apiKey)
            .GET()
            .build();
    return outcome(send(request, "read job " + job.index()), job);
  }

  static JobOutcome outcome(JsonNode body, DeferredJob job) {
    String status = body.path("status").asText();
    return new JobOutcome(
        status,
        decimal(body.get("cost_usd")),
        decimal(body.get("realtime_cost_usd")),
        text(body.get("provider_model")),
        body.path("usage").path("input_tokens").asLong(),
        body.path("usage").path("output_tokens").asLong(),
        text(body.path("placement").get("stage")),
        body.hasNonNull("finished_at") ? Instant.parse(body.get("finished_at").asText()) : null,
        "succeeded".equals(status) && job.answeredBy(body.path("output").asText(null)),
        text(body.path("error").get("code")));
  }

  /** Requests retried so far (429, 503, ... and lost connections). */
  public long retries() {
    return retries.get();
  }

  private JsonNode send(HttpRequest request, String what) throws IOException, InterruptedException {
    Duration backoff = FIRST_BACKOFF;
    for (int attempt = 1; ; attempt++) {
      int status;
      Duration wait = backoff;
      try {
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        status = response.statusCode();
        if (status / 100 == 2) {
          return JSON.readTree(response.body());
        }
        if (!RETRIABLE.contains(status) || attempt >= MAX_TRIES) {
          throw new IOException(what + ": HTTP " + status);
        }
        wait = retryAfter(response).orElse(backoff);
      } catch (IOException e) {
        if (attempt >= MAX_TRIES || e.getMessage() != null && e.getMessage().startsWith(what)) {
          throw e;
        }
      }
      retries.incrementAndGet();
      Thread.sleep(wait.toMillis());
      backoff =
          backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0
              ? MAX_BACKOFF
              : backoff.multipliedBy(2);
    }
  }

  private static java.util.Optional<Duration> retryAfter(HttpResponse<?> response) {
    return response
        .headers()
        .firstValue("Retry-After")
        .flatMap(
            value -> {
              try {
                return java.util.Optional.of(Duration.ofSeconds(Long.parseLong(value.strip())));
              } catch (NumberFormatException e) {
                return java.util.Optional.empty();
              }
            });
  }

  private static BigDecimal decimal(JsonNode node) {
    return node == null || node.isNull() ? null : new BigDecimal(node.asText());
  }

  private static String text(JsonNode node) {
    return node == null || node.isNull() ? null : node.asText();
  }
}
