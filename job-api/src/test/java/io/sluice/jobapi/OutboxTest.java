package io.sluice.jobapi;

import static io.sluice.jobapi.JobApiFixture.VALID_BODY;
import static io.sluice.jobapi.JobApiFixture.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.schemas.job.ChatMessage;
import io.sluice.schemas.job.CompletionSpec;
import io.sluice.schemas.job.JobEvent;
import io.sluice.schemas.job.JobStatus;
import io.sluice.schemas.job.Mode;
import io.sluice.schemas.job.Priority;
import io.sluice.schemas.job.SubmittedJob;
import io.sluice.schemas.job.TokenUsage;
import io.sluice.schemas.json.JsonSerde;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

class OutboxTest {
  private static final JsonSerde<SubmittedJob> SUBMITTED = JsonSerde.of(SubmittedJob.class);

  @Test
  void shouldPublishACommittedJobAfterTheApiDiesBeforePublishing() {
    // The first instance commits jobs but never publishes: as if it died right after each commit.
    try (JobApiFixture crashed = JobApiFixture.start(s -> s.outboxRelayEnabled(false))) {
      JobApiFixture.Client client = crashed.newClient();
      HttpResponse202 accepted = HttpResponse202.of(client.submit(VALID_BODY));
      String topic = crashed.topics.jobsSubmitted().name();
      assertThat(crashed.count("SELECT count(*) FROM outbox WHERE record_key = ?", accepted.id))
          .isEqualTo(1);
      assertThat(KafkaTestClients.readAll(topic)).isEmpty();

      crashed.api.close();
      crashed.api = crashed.startAnother(s -> s.outboxRelayEnabled(true));

      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> KafkaTestClients.readAll(topic), records -> !records.isEmpty());
      List<ConsumerRecord<String, String>> published = KafkaTestClients.readAll(topic);
      assertThat(published).hasSize(1);
      assertThat(published.getFirst().key()).isEqualTo(accepted.id);
      assertThat(SUBMITTED.fromBytes(published.getFirst().value().getBytes()))
          .isEqualTo(
              SubmittedJob.completion(
                  accepted.id,
                  client.tenant.id(),
                  Priority.STANDARD,
                  Mode.REALTIME,
                  new CompletionSpec(
                      "gpt-4o-mini", List.of(ChatMessage.user("reverse: abc")), null, null, null),
                  accepted.createdAt,
                  null));
      assertThat(crashed.count("SELECT count(*) FROM outbox")).isZero();

      // ... and processed: the platform's result reaches the job through the new instance.
      Instant now = Instant.now();
      KafkaTestClients.send(
          crashed.topics.jobsEvents().name(),
          accepted.id,
          JsonSerde.of(JobEvent.class)
              .toJson(
                  new JobEvent(
                      1,
                      "ev_1",
                      accepted.id,
                      client.tenant.id(),
                      JobStatus.SUCCEEDED,
                      "cba",
                      new TokenUsage(10, 1),
                      "openai",
                      "gpt-4o-mini",
                      new BigDecimal("0.0000021"),
                      null,
                      1,
                      now.minusMillis(50),
                      now)));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> json(client.get(accepted.id)).get("status").asText(), "succeeded"::equals);
      assertThat(json(client.get(accepted.id)).get("output").asText()).isEqualTo("cba");
    }
  }

  @Test
  void shouldPublishRightAfterTheCommitWithoutWaitingForThePoll() {
    try (JobApiFixture fixture =
        JobApiFixture.start(s -> s.outboxPollInterval(Duration.ofMinutes(1)))) {
      JobApiFixture.Client client = fixture.newClient();
      String topic = fixture.topics.jobsSubmitted().name();

      String id = HttpResponse202.of(client.submit(VALID_BODY)).id;

      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> KafkaTestClients.readAll(topic), records -> records.size() == 1);
      assertThat(KafkaTestClients.readAll(topic).getFirst().key()).isEqualTo(id);
    }
  }

  @Test
  void shouldPublishEveryJobExactlyOnceWithTwoRelaysOnOneDatabase() throws Exception {
    try (JobApiFixture fixture = JobApiFixture.start();
        JobApi second = fixture.startAnother(s -> s.eventsConsumerEnabled(false))) {
      JobApiFixture.Client client = fixture.newClient();
      String topic = fixture.topics.jobsSubmitted().name();
      List<String> ids = new ArrayList<>();
      try (ExecutorService pool = Executors.newFixedThreadPool(8)) {
        List<Future<String>> submitted = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
          JobApi target = i % 2 == 0 ? fixture.api : second;
          submitted.add(
              pool.submit(() -> HttpResponse202.of(client.submitTo(target, VALID_BODY)).id));
        }
        for (Future<String> id : submitted) {
          ids.add(id.get());
        }
      }

      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> KafkaTestClients.readAll(topic).size() >= ids.size());
      assertThat(KafkaTestClients.readAll(topic))
          .extracting(ConsumerRecord::key)
          .containsExactlyInAnyOrderElementsOf(ids);
      assertThat(fixture.count("SELECT count(*) FROM outbox")).isZero();
    }
  }

  /** The id and creation time of a 202 answer. */
  record HttpResponse202(String id, Instant createdAt) {
    static HttpResponse202 of(java.net.http.HttpResponse<String> response) {
      assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
      JsonNode job = json(response);
      return new HttpResponse202(
          job.get("id").asText(), Instant.parse(job.get("created_at").asText()));
    }
  }
}
