package io.sluice.jobapi;

import static io.sluice.jobapi.JobApiFixture.VALID_BODY;
import static io.sluice.jobapi.JobApiFixture.json;
import static io.sluice.jobapi.WebhookFixture.createEndpoint;
import static io.sluice.jobapi.WebhookFixture.submit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.embedded.TestInfrastructure;
import io.sluice.jobapi.WebhookFixture.SubmittedJob;
import io.sluice.jobapi.job.internal.JobEventProjector;
import io.sluice.jobapi.webhook.WebhookSettings;
import io.sluice.schemas.job.JobControl;
import io.sluice.schemas.job.JobEvent;
import io.sluice.schemas.job.JobStatus;
import io.sluice.schemas.job.TokenUsage;
import io.sluice.schemas.json.Json;
import io.sluice.schemas.json.JsonSerde;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /v1/jobs/{id}/cancel} on real PostgreSQL and Kafka: the cancel record on
 * sluice.jobs.control, the answers for every state of the job, and the job's end when the
 * dispatcher's {@code cancelled} event (published here as the dispatcher would) is projected.
 */
class JobCancelHttpTest {
  private static final JsonSerde<JobEvent> EVENTS = JsonSerde.of(JobEvent.class);
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static JobApiFixture fixture;

  @BeforeAll
  static void startApi() {
    fixture = JobApiFixture.start(s -> s.webhooks(WebhookFixture.local()));
  }

  @AfterAll
  static void stopApi() {
    fixture.close();
  }

  private static HttpResponse<String> cancel(JobApiFixture.Client client, String jobId) {
    return cancelPath(client, "/v1/jobs/" + jobId + "/cancel");
  }

  private static HttpResponse<String> cancelPath(JobApiFixture.Client client, String path) {
    return JobApiFixture.send(
        HttpRequest.newBuilder(fixture.url(path))
            .header("Authorization", "Bearer " + client.key)
            .POST(HttpRequest.BodyPublishers.noBody()));
  }

  private static List<JobControl> controlRecordsOf(String jobId) {
    List<ConsumerRecord<String, String>> records =
        KafkaTestClients.readAll(fixture.topics.jobsControl().name());
    return records.stream()
        .filter(r -> r.key().equals(jobId))
        .map(r -> readControl(r.value()))
        .toList();
  }

  private static JobControl readControl(String value) {
    try {
      return Json.mapper().readValue(value, JobControl.class);
    } catch (IOException e) {
      throw new AssertionError("not a JobControl: " + value, e);
    }
  }

  /** Publishes the job's terminal event to sluice.jobs.events, as the dispatcher would. */
  private static void end(SubmittedJob job, JobStatus status) {
    boolean succeeded = status == JobStatus.SUCCEEDED;
    JobEvent event =
        new JobEvent(
            1,
            job.id() + "." + status.wireName(),
            job.id(),
            job.client().tenant.id(),
            status,
            succeeded ? "cba" : null,
            new TokenUsage(12, 2),
            "openai",
            "gpt-4o-mini",
            new BigDecimal("0.000003"),
            null,
            1,
            job.createdAt().plusMillis(20),
            job.createdAt().plusMillis(500));
    KafkaTestClients.send(fixture.topics.jobsEvents().name(), job.id(), EVENTS.toJson(event));
  }

  private static void awaitStatus(SubmittedJob job, String status) {
    await()
        .atMost(WAIT)
        .until(() -> json(job.client().get(job.id())).get("status").asText(), status::equals);
  }

  @Test
  void shouldAccept202AndPublishACancelKeyedByTheJobIdWithoutChangingTheStatus() {
    JobApiFixture.Client client = fixture.newClient();
    SubmittedJob job = submit(client, VALID_BODY);

    HttpResponse<String> response = cancel(client, job.id());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    assertThat(json(response).get("id").asText()).isEqualTo(job.id());
    assertThat(json(response).get("status").asText()).isEqualTo("queued");
    await().atMost(WAIT).until(() -> controlRecordsOf(job.id()).size() == 1);
    JobControl control = controlRecordsOf(job.id()).getFirst();
    assertThat(control.jobId()).isEqualTo(job.id());
    assertThat(control.tenantId()).isEqualTo(client.tenant.id());
    assertThat(control.action()).isEqualTo(JobControl.Action.CANCEL);
    assertThat(control.requestedAt()).isAfterOrEqualTo(job.createdAt());
    assertThat(json(client.get(job.id())).get("status").asText()).isEqualTo("queued");
  }

  @Test
  void shouldEndTheJobCancelledWhenTheEventArrivesAndAnswer200ToEveryLaterCancel() {
    JobApiFixture.Client client = fixture.newClient();
    SubmittedJob job = submit(client, VALID_BODY);

    assertThat(cancel(client, job.id()).statusCode()).isEqualTo(202);
    assertThat(cancel(client, job.id()).statusCode()).isEqualTo(202); // before the event
    end(job, JobStatus.CANCELLED);
    awaitStatus(job, "cancelled");
    HttpResponse<String> again = cancel(client, job.id());

    assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
    assertThat(json(again).get("status").asText()).isEqualTo("cancelled");
    assertThat(json(again).has("finished_at")).isTrue();
    await().atMost(WAIT).until(() -> fixture.count("SELECT count(*) FROM outbox") == 0);
    assertThat(controlRecordsOf(job.id())).hasSize(2); // the dispatcher ignores the second
  }

  @Test
  void shouldAnswer409NamingTheStatusOfAJobThatEndedAndPublishNothing() {
    JobApiFixture.Client client = fixture.newClient();
    SubmittedJob succeeded = submit(client, VALID_BODY);
    SubmittedJob failed = submit(client, VALID_BODY);
    end(succeeded, JobStatus.SUCCEEDED);
    end(failed, JobStatus.FAILED);
    awaitStatus(succeeded, "succeeded");
    awaitStatus(failed, "failed");

    HttpResponse<String> response = cancel(client, succeeded.id());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(409);
    assertThat(json(response).at("/error/type").asText()).isEqualTo("job_finished");
    assertThat(json(response).at("/error/status").asText()).isEqualTo("succeeded");
    assertThat(json(response).at("/error/message").asText()).contains(succeeded.id());
    assertThat(json(cancel(client, failed.id())).at("/error/status").asText()).isEqualTo("failed");
    assertThat(pendingControlRecordsOf(succeeded.id())).isZero();
    assertThat(controlRecordsOf(succeeded.id())).isEmpty();
  }

  @Test
  void shouldAnswer404ToAnUnknownIdAndToAnotherTenantsJobAndPublishNothing() {
    JobApiFixture.Client owner = fixture.newClient();
    JobApiFixture.Client other = fixture.newClient();
    SubmittedJob job = submit(owner, VALID_BODY);
    String unknown = "job_" + "0".repeat(32);

    HttpResponse<String> foreign = cancel(other, job.id());
    HttpResponse<String> missing = cancel(owner, unknown);

    assertThat(foreign.statusCode()).isEqualTo(404);
    assertThat(json(foreign).at("/error/type").asText()).isEqualTo("not_found");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(foreign.body()).isEqualTo(missing.body().replace(unknown, job.id()));
    assertThat(pendingControlRecordsOf(job.id())).isZero();
    assertThat(controlRecordsOf(job.id())).isEmpty();
    assertThat(json(owner.get(job.id())).get("status").asText()).isEqualTo("queued");
  }

  @Test
  void shouldAnswerABadIdWithA4xxNeverA5xx() {
    JobApiFixture.Client client = fixture.newClient();
    List<String> paths =
        List.of(
            "/v1/jobs/%00/cancel",
            "/v1/jobs/job_%00" + "0".repeat(31) + "/cancel",
            "/v1/jobs/%E2%80%AE%F0%9F%98%80/cancel",
            "/v1/jobs/%FF%FE/cancel",
            "/v1/jobs/" + "a".repeat(5000) + "/cancel",
            "/v1/jobs/job_..%2F..%2Fx/cancel",
            "/v1/jobs/%27%20OR%201=1--/cancel",
            "/v1/jobs//cancel",
            "/v1/jobs/JOB_" + "F".repeat(32) + "/cancel");

    for (String path : paths) {
      HttpResponse<String> response = cancelPath(client, path);
      assertThat(response.statusCode()).as(path + " " + response.body()).isBetween(400, 499);
    }
    assertThat(fixture.count("SELECT count(*) FROM outbox WHERE topic = ?", controlTopic()))
        .isZero();
  }

  /**
   * Cancels of {@code jobId} still in the outbox. Filtered by topic: the job's own submission row
   * shares its key and may not have been relayed yet.
   */
  private static long pendingControlRecordsOf(String jobId) {
    return fixture.count(
        "SELECT count(*) FROM outbox WHERE topic = ? AND record_key = ?", controlTopic(), jobId);
  }

  private static String controlTopic() {
    return fixture.topics.jobsControl().name();
  }

  @Test
  void shouldRefuseACancelWithoutAValidKey() {
    JobApiFixture.Client client = fixture.newClient();
    SubmittedJob job = submit(client, VALID_BODY);

    HttpResponse<String> response =
        JobApiFixture.send(
            HttpRequest.newBuilder(fixture.url("/v1/jobs/" + job.id() + "/cancel"))
                .header("Authorization", "Bearer sk_nope")
                .POST(HttpRequest.BodyPublishers.noBody()));

    assertThat(response.statusCode()).isEqualTo(401);
    assertThat(pendingControlRecordsOf(job.id())).isZero();
    assertThat(controlRecordsOf(job.id())).isEmpty();
  }

  @Test
  void shouldAcceptACancelSentWithAJsonBody() {
    JobApiFixture.Client client = fixture.newClient();
    SubmittedJob job = submit(client, VALID_BODY);

    HttpResponse<String> response =
        JobApiFixture.send(
            HttpRequest.newBuilder(fixture.url("/v1/jobs/" + job.id() + "/cancel"))
                .header("Authorization", "Bearer " + client.key)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
  }

  @Test
  void shouldKeepAJobThatSucceededBeforeItsCancelEventSucceededAndLogTheRaceBelowWarn() {
    Logger projector = (Logger) LoggerFactory.getLogger(JobEventProjector.class);
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    logs.start();
    projector.addAppender(logs);
    try {
      JobApiFixture.Client client = fixture.newClient();
      SubmittedJob job = submit(client, VALID_BODY);
      assertThat(cancel(client, job.id()).statusCode()).isEqualTo(202);

      end(job, JobStatus.SUCCEEDED); // the call ended before the dispatcher took the cancel
      end(job, JobStatus.CANCELLED); // cannot happen (first terminal wins), yet is harmless
      SubmittedJob marker = submit(client, VALID_BODY);
      end(marker, JobStatus.SUCCEEDED);
      awaitStatus(job, "succeeded");
      awaitStatus(marker, "succeeded"); // same tenant, so likely same order: the race was seen

      assertThat(json(client.get(job.id())).get("output").asText()).isEqualTo("cba");
      assertThat(logs.list)
          .filteredOn(e -> e.getFormattedMessage().contains(job.id()))
          .noneMatch(e -> e.getLevel().isGreaterOrEqual(Level.WARN));
    } finally {
      projector.detachAppender(logs);
    }
  }

  @Test
  void shouldDeliverJobCancelledToTheTenantsWebhookWhenTheCancelledEventIsProjected() {
    try (WebhookReceiver receiver = WebhookReceiver.start()) {
      JobApiFixture.Client client = fixture.newClient();
      JsonNode endpoint = createEndpoint(fixture, client, receiver.url().toString());
      SubmittedJob job = submit(client, VALID_BODY);

      assertThat(cancel(client, job.id()).statusCode()).isEqualTo(202);
      end(job, JobStatus.CANCELLED);

      await().atMost(WAIT).until(() -> receiver.accepted().size() >= 1);
      WebhookReceiver.Received received = receiver.accepted().getFirst();
      WebhookFixture.verify(endpoint.get("secret").asText(), received);
      JsonNode body = readTree(received.body());
      assertThat(body.get("type").asText()).isEqualTo("job.cancelled");
      assertThat(body.at("/data/id").asText()).isEqualTo(job.id());
      assertThat(body.at("/data/status").asText()).isEqualTo("cancelled");
      assertThat(receiver.accepted()).hasSize(1);
    }
  }

  private static JsonNode readTree(String text) {
    try {
      return Json.mapper().readTree(text);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void shouldCreateJobsControlWithAsManyPartitionsAsTaskResults() throws Exception {
    String prefix = TestInfrastructure.uniqueName("control");
    try (Admin admin =
        Admin.create(
            Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestInfrastructure.kafka().bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(prefix + ".task-results", 3, (short) 1))).all().get();
      try (JobApi another =
          fixture.startAnother(
              s ->
                  s.topicPrefix(prefix)
                      .topicPartitions(2)
                      .httpPort(0)
                      .outboxRelayEnabled(false)
                      .eventsConsumerEnabled(false)
                      .webhooks(WebhookSettings.defaults()))) {
        assertThat(partitionsOf(admin, prefix + ".jobs.control")).isEqualTo(3);
        assertThat(partitionsOf(admin, prefix + ".jobs.submitted")).isEqualTo(2);
      }
    }
  }

  private static int partitionsOf(Admin admin, String topic)
      throws ExecutionException, InterruptedException {
    return admin
        .describeTopics(List.of(topic))
        .allTopicNames()
        .get()
        .get(topic)
        .partitions()
        .size();
  }
}
