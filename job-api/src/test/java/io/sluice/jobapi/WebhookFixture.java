package io.sluice.jobapi;

import static io.sluice.jobapi.JobApiFixture.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.standardwebhooks.Webhook;
import io.sluice.egress.EgressRules;
import io.sluice.egress.HostResolver;
import io.sluice.jobapi.webhook.RetrySchedule;
import io.sluice.jobapi.webhook.WebhookSettings;
import io.sluice.schemas.job.ErrorInfo;
import io.sluice.schemas.job.JobEvent;
import io.sluice.schemas.job.JobStatus;
import io.sluice.schemas.job.TokenUsage;
import io.sluice.schemas.json.JsonSerde;
import java.math.BigDecimal;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/** Helpers for webhook tests: settings for a local receiver, endpoints, finished jobs. */
final class WebhookFixture {
  private static final JsonSerde<JobEvent> EVENTS = JsonSerde.of(JobEvent.class);

  /** A short schedule so that tests see many retries in seconds: about 25 s in all. */
  static final RetrySchedule QUICK =
      new RetrySchedule(
          Stream.concat(
                  Stream.of(Duration.ofMillis(200), Duration.ofMillis(300)),
                  Stream.generate(() -> Duration.ofSeconds(1)).limit(24))
              .toList(),
          0.1);

  private WebhookFixture() {}

  static String newKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  /** Webhooks on, loopback and plain HTTP allowed (the local rules), quick timeouts and retries. */
  static WebhookSettings local() {
    return WebhookSettings.defaults()
        .withSecretKey(newKey())
        .withEgress(EgressRules.local(), HostResolver.system())
        .withTimeouts(Duration.ofSeconds(1), Duration.ofSeconds(3))
        .withPollInterval(Duration.ofMillis(50))
        .withSchedule(QUICK);
  }

  static HttpResponse<String> call(
      JobApiFixture fixture, JobApiFixture.Client client, String method, String path, String body) {
    return JobApiFixture.send(
        HttpRequest.newBuilder(fixture.url(path))
            .header("Authorization", "Bearer " + client.key)
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body)));
  }

  /** Creates an endpoint; returns its JSON (with {@code secret}). */
  static JsonNode createEndpoint(
      JobApiFixture fixture, JobApiFixture.Client client, String url, String... types) {
    String typesJson =
        types.length == 0
            ? ""
            : ",\"event_types\":["
                + String.join(",", Stream.of(types).map(t -> "\"" + t + "\"").toList())
                + "]";
    HttpResponse<String> response =
        call(
            fixture,
            client,
            "POST",
            "/v1/webhook-endpoints",
            "{\"url\":\"" + url + "\"" + typesJson + "}");
    if (response.statusCode() != 201) {
      throw new AssertionError(
          "endpoint not created: " + response.statusCode() + " " + response.body());
    }
    return json(response);
  }

  /** A submitted job. */
  record SubmittedJob(JobApiFixture.Client client, String id, Instant createdAt) {}

  static SubmittedJob submit(JobApiFixture.Client client, String body) {
    HttpResponse<String> response = client.submit(body);
    if (response.statusCode() != 202) {
      throw new AssertionError(
          "job not accepted: " + response.statusCode() + " " + response.body());
    }
    JsonNode job = json(response);
    return new SubmittedJob(
        client, job.get("id").asText(), Instant.parse(job.get("created_at").asText()));
  }

  /** Publishes the job's terminal event to sluice.jobs.events, as the dispatcher would. */
  static void finish(JobApiFixture fixture, SubmittedJob job, JobStatus status) {
    boolean succeeded = status == JobStatus.SUCCEEDED;
    JobEvent event =
        new JobEvent(
            1,
            "ev_" + job.id() + "_" + status.wireName(),
            job.id(),
            job.client().tenant.id(),
            status,
            succeeded ? "cba" : null,
            new TokenUsage(12, 2),
            "openai",
            "gpt-4o-mini",
            succeeded ? new BigDecimal("0.000003") : null,
            succeeded ? null : ErrorInfo.permanent("deadline_exceeded", "too late"),
            1,
            job.createdAt().plusMillis(20),
            job.createdAt().plusMillis(500));
    KafkaTestClients.send(fixture.topics.jobsEvents().name(), job.id(), EVENTS.toJson(event));
  }

  /** Verifies with the official Standard Webhooks library; throws when it does not verify. */
  static void verify(String secret, WebhookReceiver.Received received) {
    try {
      new Webhook(secret).verify(received.body(), received.headers());
    } catch (Exception e) {
      throw new AssertionError("signature does not verify: " + e.getMessage(), e);
    }
  }

  static boolean verifies(String secret, WebhookReceiver.Received received) {
    try {
      new Webhook(secret).verify(received.body(), received.headers());
      return true;
    } catch (Exception e) {
      return false;
    }
  }

  static List<JsonNode> data(HttpResponse<String> page) {
    return StreamSupport.stream(json(page).get("data").spliterator(), false).toList();
  }
}
