package io.sluice.jobapi;

import static io.sluice.jobapi.JobApiFixture.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.schemas.job.ErrorInfo;
import io.sluice.schemas.job.JobEvent;
import io.sluice.schemas.job.JobStatus;
import io.sluice.schemas.job.Placement;
import io.sluice.schemas.job.Placement.Stage;
import io.sluice.schemas.job.TokenUsage;
import io.sluice.schemas.json.JsonSerde;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The deferred lane's job events (placements, terminal results at the batch price, late cost
 * updates, expiry) published on the real events topic, projected into the real job row and shown by
 * {@code GET /v1/jobs/{id}}.
 */
class DeferredLaneProjectionTest {
  private static final JsonSerde<JobEvent> EVENTS = JsonSerde.of(JobEvent.class);
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String DEFERRED_BODY =
      "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"reverse: abc\"}],"
          + "\"mode\":\"deferred\",\"priority\":\"bulk\"}";

  private static JobApiFixture fixture;

  @BeforeAll
  static void startApi() {
    fixture = JobApiFixture.start();
  }

  @AfterAll
  static void stopApi() {
    fixture.close();
  }

  private record Submitted(JobApiFixture.Client client, String id, Instant createdAt) {
    Instant at(long seconds) {
      return createdAt.plusSeconds(seconds).truncatedTo(ChronoUnit.MILLIS);
    }
  }

  private static Submitted submit() {
    JobApiFixture.Client client = fixture.newClient();
    JsonNode job = json(client.submit(DEFERRED_BODY));
    return new Submitted(
        client, job.get("id").asText(), Instant.parse(job.get("created_at").asText()));
  }

  private static void publish(JobEvent event) {
    KafkaTestClients.send(fixture.topics.jobsEvents().name(), event.jobId(), EVENTS.toJson(event));
  }

  private static JobEvent placed(
      Submitted job, String eventId, JobStatus status, Placement placement) {
    return new JobEvent(
        1,
        eventId,
        job.id(),
        job.client().tenant.id(),
        status,
        null,
        null,
        null,
        null,
        null,
        null,
        0,
        null,
        placement.since(),
        placement,
        null);
  }

  private static JobEvent succeeded(
      Submitted job, Placement placement, String costUsd, String realtimeCostUsd) {
    return new JobEvent(
        1,
        "ev_done",
        job.id(),
        job.client().tenant.id(),
        JobStatus.SUCCEEDED,
        "cba",
        new TokenUsage(12, 2),
        "openai",
        "gpt-4o-mini",
        new BigDecimal(costUsd),
        null,
        1,
        placement.since(),
        job.at(3_600),
        placement,
        new BigDecimal(realtimeCostUsd));
  }

  private static JobEvent costUpdate(
      Submitted job, int n, JobStatus status, String costUsd, TokenUsage usage, int attempts) {
    return new JobEvent(
        1,
        job.id() + ".cost." + n,
        job.id(),
        job.client().tenant.id(),
        status,
        null,
        usage,
        "openai",
        "gpt-4o-mini",
        new BigDecimal(costUsd),
        null,
        attempts,
        null,
        job.at(7_200 + n),
        null,
        null);
  }

  private static JsonNode awaitShown(Submitted job, Predicate<JsonNode> condition) {
    await().atMost(WAIT).until(() -> json(job.client().get(job.id())), condition::test);
    return json(job.client().get(job.id()));
  }

  private static boolean hasStage(JsonNode shown, String stage) {
    return stage.equals(shown.at("/placement/stage").asText());
  }

  @Test
  void shouldShowWhereTheDeferredLaneHasTheJobAndWhatItCostAtBothPrices() {
    Submitted job = submit();
    Placement pending = new Placement(Stage.PENDING, null, 1, job.at(1));
    Placement inBatch = new Placement(Stage.IN_PROVIDER_BATCH, "batch_abc", 1, job.at(60));

    publish(placed(job, "ev_pending", JobStatus.QUEUED, pending));
    JsonNode waiting = awaitShown(job, shown -> hasStage(shown, "pending"));
    assertThat(waiting.get("status").asText()).isEqualTo("queued");
    assertThat(waiting.at("/placement/attempt").asInt()).isEqualTo(1);
    assertThat(Instant.parse(waiting.at("/placement/since").asText())).isEqualTo(job.at(1));
    assertThat(waiting.get("placement").has("provider_batch_id")).isFalse();
    assertThat(waiting.has("cost_usd")).isFalse();
    assertThat(waiting.has("realtime_cost_usd")).isFalse();

    publish(placed(job, "ev_in_batch", JobStatus.RUNNING, inBatch));
    JsonNode running = awaitShown(job, shown -> hasStage(shown, "in_provider_batch"));
    assertThat(running.get("status").asText()).isEqualTo("running");
    assertThat(running.at("/placement/provider_batch_id").asText()).isEqualTo("batch_abc");
    assertThat(Instant.parse(running.get("started_at").asText())).isEqualTo(job.at(60));

    publish(succeeded(job, inBatch, "0.0000015", "0.0000030"));
    JsonNode done = awaitShown(job, shown -> "succeeded".equals(shown.get("status").asText()));
    assertThat(done.get("output").asText()).isEqualTo("cba");
    assertThat(done.get("cost_usd").decimalValue()).isEqualByComparingTo("0.0000015");
    assertThat(done.get("realtime_cost_usd").decimalValue()).isEqualByComparingTo("0.000003");
    assertThat(job.client().get(job.id()).body())
        .contains("\"cost_usd\":0.0000015,\"realtime_cost_usd\":0.000003,")
        .contains(
            "\"placement\":{\"stage\":\"in_provider_batch\",\"provider_batch_id\":\"batch_abc\","
                + "\"attempt\":1,\"since\":\"");
    assertThat(
            fixture.query(
                "SELECT status, realtime_cost_usd::text, placement::jsonb ->> 'provider_batch_id'"
                    + " FROM jobs WHERE id = ?",
                job.id()))
        .containsExactly(List.of("succeeded", "0.0000030000", "batch_abc"));
  }

  @Test
  void shouldAddTheCostOfALateSecondResultToAFinishedJobAndNothingElse() {
    Submitted job = submit();
    Submitted marker = submit();
    Placement fallback = new Placement(Stage.REALTIME_FALLBACK, null, 1, job.at(3_000));
    publish(placed(job, "ev_fallback", JobStatus.RUNNING, fallback));
    publish(succeeded(job, fallback, "0.0000030", "0.0000030"));
    JsonNode done = awaitShown(job, shown -> "succeeded".equals(shown.get("status").asText()));

    publish(costUpdate(job, 1, JobStatus.SUCCEEDED, "0.0000045", new TokenUsage(24, 4), 2));
    publish(costUpdate(job, 1, JobStatus.SUCCEEDED, "0.0000045", new TokenUsage(24, 4), 2));
    publish(costUpdate(job, 2, JobStatus.FAILED, "0.0000090", new TokenUsage(48, 8), 3));
    publish(costUpdate(job, 3, JobStatus.SUCCEEDED, "0.0000040", new TokenUsage(20, 3), 3));
    // Keyed like the job's events, so it lands on their partition after them: once it is
    // projected, so are they.
    KafkaTestClients.send(
        fixture.topics.jobsEvents().name(),
        job.id(),
        EVENTS.toJson(
            placed(
                marker,
                "ev_marker",
                JobStatus.QUEUED,
                new Placement(Stage.PENDING, null, 1, marker.at(1)))));
    awaitShown(marker, shown -> hasStage(shown, "pending"));

    JsonNode updated = json(job.client().get(job.id()));
    assertThat(updated.get("cost_usd").decimalValue()).isEqualByComparingTo("0.0000045");
    assertThat(updated.at("/usage/input_tokens").asLong()).isEqualTo(24);
    assertThat(updated.at("/usage/output_tokens").asLong()).isEqualTo(4);
    assertThat(updated.get("attempts").asInt()).isEqualTo(2);
    for (String unchanged :
        List.of(
            "status",
            "output",
            "placement",
            "realtime_cost_usd",
            "finished_at",
            "started_at",
            "provider")) {
      assertThat(updated.get(unchanged)).as(unchanged).isEqualTo(done.get(unchanged));
    }
    assertThat(fixture.query("SELECT last_event_id FROM jobs WHERE id = ?", job.id()))
        .containsExactly(List.of(job.id() + ".cost.1"));
  }

  @Test
  void shouldShowAnExpiredJobWithItsErrorAndSkipLaterOutcomes() {
    Submitted job = submit();
    Placement resubmitted = new Placement(Stage.RESUBMITTED, null, 2, job.at(600));
    publish(placed(job, "ev_resubmitted", JobStatus.RUNNING, resubmitted));
    publish(
        new JobEvent(
            1,
            "ev_expired",
            job.id(),
            job.client().tenant.id(),
            JobStatus.EXPIRED,
            null,
            null,
            "openai",
            "gpt-4o-mini",
            null,
            ErrorInfo.permanent(
                "deadline_exceeded", "the job's deadline passed before it finished"),
            0,
            null,
            job.at(900),
            resubmitted,
            null));
    publish(succeeded(job, resubmitted, "0.0000015", "0.0000030"));
    publish(costUpdate(job, 1, JobStatus.EXPIRED, "0.0000015", new TokenUsage(12, 2), 1));

    JsonNode shown = awaitShown(job, node -> node.get("attempts").asInt() == 1);
    assertThat(shown.get("status").asText()).isEqualTo("expired");
    assertThat(shown.at("/error/code").asText()).isEqualTo("deadline_exceeded");
    assertThat(shown.at("/error/message").asText())
        .isEqualTo("the job's deadline passed before it finished");
    assertThat(shown.at("/error/retriable").asBoolean()).isFalse();
    assertThat(shown.has("output")).as("the late success is not an outcome").isFalse();
    assertThat(shown.get("cost_usd").decimalValue()).isEqualByComparingTo("0.0000015");
    assertThat(hasStage(shown, "resubmitted")).isTrue();
    assertThat(Instant.parse(shown.get("finished_at").asText())).isEqualTo(job.at(900));
  }
}
