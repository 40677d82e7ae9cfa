package io.sluice.jobapi;

import static io.sluice.jobapi.JobApiFixture.VALID_BODY;
import static io.sluice.jobapi.JobApiFixture.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.schemas.job.ErrorInfo;
import io.sluice.schemas.job.JobEvent;
import io.sluice.schemas.job.JobStatus;
import io.sluice.schemas.job.TokenUsage;
import io.sluice.schemas.json.JsonSerde;
import io.sluice.schemas.topic.DeadLetter;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class JobEventsProjectionTest {
  private static final JsonSerde<JobEvent> EVENTS = JsonSerde.of(JobEvent.class);
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static JobApiFixture fixture;

  @BeforeAll
  static void startApi() {
    fixture = JobApiFixture.start();
  }

  @AfterAll
  static void stopApi() {
    fixture.close();
  }

  private record Submitted(JobApiFixture.Client client, String id, Instant createdAt) {}

  private static Submitted submit() {
    JobApiFixture.Client client = fixture.newClient();
    JsonNode job = json(client.submit(VALID_BODY));
    return new Submitted(
        client, job.get("id").asText(), Instant.parse(job.get("created_at").asText()));
  }

  private static void publish(JobEvent event) {
    KafkaTestClients.send(fixture.topics.jobsEvents().name(), event.jobId(), EVENTS.toJson(event));
  }

  private static JobEvent event(Submitted job, String eventId, JobStatus status, Instant at) {
    boolean succeeded = status == JobStatus.SUCCEEDED;
    return new JobEvent(
        1,
        eventId,
        job.id(),
        job.client().tenant.id(),
        status,
        succeeded ? "cba" : null,
        status.isTerminal() ? new TokenUsage(12, 2) : null,
        "openai",
        "gpt-4o-mini",
        succeeded ? new BigDecimal("0.0000030") : null,
        status == JobStatus.FAILED
            ? ErrorInfo.permanent("provider_rejected", "context too long")
            : null,
        status == JobStatus.RUNNING ? 0 : 2,
        job.createdAt().plusMillis(20),
        at);
  }

  private static JsonNode awaitStatus(Submitted job, String status) {
    await()
        .atMost(WAIT)
        .until(() -> json(job.client().get(job.id())).get("status").asText(), status::equals);
    return json(job.client().get(job.id()));
  }

  @Test
  void shouldShowTheResultUsageCostAndTimingOfASucceededJob() {
    Submitted job = submit();
    Instant finished = job.createdAt().plusMillis(520);

    publish(event(job, "ev_run", JobStatus.RUNNING, job.createdAt().plusMillis(20)));
    publish(event(job, "ev_done", JobStatus.SUCCEEDED, finished));

    JsonNode shown = awaitStatus(job, "succeeded");
    assertThat(shown.get("output").asText()).isEqualTo("cba");
    assertThat(shown.at("/usage/input_tokens").asLong()).isEqualTo(12);
    assertThat(shown.at("/usage/output_tokens").asLong()).isEqualTo(2);
    assertThat(shown.get("provider").asText()).isEqualTo("openai");
    assertThat(shown.get("provider_model").asText()).isEqualTo("gpt-4o-mini");
    assertThat(shown.get("model").asText()).isEqualTo("gpt-4o-mini");
    assertThat(shown.get("cost_usd").decimalValue()).isEqualByComparingTo("0.000003");
    assertThat(job.client().get(job.id()).body()).contains("\"cost_usd\":0.000003,");
    assertThat(shown.get("attempts").asInt()).isEqualTo(2);
    assertThat(Instant.parse(shown.get("started_at").asText()))
        .isEqualTo(job.createdAt().plusMillis(20));
    assertThat(Instant.parse(shown.get("finished_at").asText())).isEqualTo(finished);
    assertThat(shown.at("/timing/queued_ms").asLong()).isEqualTo(20);
    assertThat(shown.at("/timing/run_ms").asLong()).isEqualTo(500);
    assertThat(shown.at("/timing/total_ms").asLong()).isEqualTo(520);
    assertThat(shown.has("error")).isFalse();
    assertThat(shown.has("placement")).as("a realtime job has no placement").isFalse();
    assertThat(shown.has("realtime_cost_usd")).isFalse();
  }

  @Test
  void shouldShowTheErrorOfAFailedJob() {
    Submitted job = submit();

    publish(event(job, "ev_fail", JobStatus.FAILED, Instant.now()));

    JsonNode shown = awaitStatus(job, "failed");
    assertThat(shown.at("/error/code").asText()).isEqualTo("provider_rejected");
    assertThat(shown.at("/error/message").asText()).isEqualTo("context too long");
    assertThat(shown.at("/error/retriable").asBoolean()).isFalse();
    assertThat(shown.has("output")).isFalse();
  }

  @Test
  void shouldIgnoreDuplicateStaleAndIllegalEventsAndKeepConsuming() {
    Submitted job = submit();
    Submitted next = submit();
    publish(event(job, "ev_1", JobStatus.RUNNING, Instant.now()));
    publish(event(job, "ev_1", JobStatus.RUNNING, Instant.now()));
    publish(event(job, "ev_back", JobStatus.QUEUED, Instant.now()));
    publish(event(job, "ev_2", JobStatus.SUCCEEDED, Instant.now()));
    publish(event(job, "ev_late", JobStatus.FAILED, Instant.now()));
    // Keyed like the first job's events, so it lands on their partition after them: once it is
    // projected, so are they (records of other keys may sit on other partitions, read later).
    KafkaTestClients.send(
        fixture.topics.jobsEvents().name(),
        job.id(),
        EVENTS.toJson(event(next, "ev_next", JobStatus.SUCCEEDED, Instant.now())));

    awaitStatus(next, "succeeded");
    JsonNode shown = json(job.client().get(job.id()));
    assertThat(shown.get("status").asText()).isEqualTo("succeeded");
    assertThat(shown.get("output").asText()).isEqualTo("cba");
    assertThat(shown.has("error")).isFalse();
    assertThat(fixture.query("SELECT last_event_id FROM jobs WHERE id = ?", job.id()))
        .containsExactly(List.of("ev_2"));
  }

  @Test
  void shouldSendUnreadableEventsToDeadLettersAndKeepConsuming() {
    Submitted job = submit();
    String events = fixture.topics.jobsEvents().name();
    String futureVersion =
        EVENTS
            .toJson(event(job, "ev_v2", JobStatus.SUCCEEDED, Instant.now()))
            .replace("\"schema_version\":1", "\"schema_version\":2");

    KafkaTestClients.send(events, job.id(), futureVersion);
    KafkaTestClients.send(events, job.id(), "not json at all");
    KafkaTestClients.send(
        events,
        "job_unknown",
        EVENTS.toJson(
            event(
                new Submitted(job.client(), "job_unknown", job.createdAt()),
                "ev_x",
                JobStatus.SUCCEEDED,
                Instant.now())));
    publish(event(job, "ev_ok", JobStatus.FAILED, Instant.now()));

    awaitStatus(job, "failed");
    await()
        .atMost(WAIT)
        .until(() -> KafkaTestClients.readAll(fixture.topics.deadLetters().name()).size() >= 2);
    List<DeadLetter> letters =
        KafkaTestClients.readAll(fixture.topics.deadLetters().name()).stream()
            .map(ConsumerRecord::value)
            .map(value -> JsonSerde.of(DeadLetter.class).fromBytes(value.getBytes()))
            .toList();
    assertThat(letters).hasSize(2).allMatch(letter -> letter.sourceTopic().equals(events));
    assertThat(letters)
        .anySatisfy(
            letter -> {
              assertThat(letter.reason()).contains("schema_version 2");
              assertThat(letter.payload()).isEqualTo(futureVersion);
              assertThat(letter.key()).isEqualTo(job.id());
            });
    assertThat(letters)
        .anySatisfy(letter -> assertThat(letter.payload()).isEqualTo("not json at all"));
  }
}
