package io.sluice.jobapi;

import static io.sluice.jobapi.JobApiFixture.VALID_BODY;
import static io.sluice.jobapi.WebhookFixture.createEndpoint;
import static io.sluice.jobapi.WebhookFixture.finish;
import static io.sluice.jobapi.WebhookFixture.submit;
import static io.sluice.jobapi.WebhookFixture.verify;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.jobapi.WebhookFixture.SubmittedJob;
import io.sluice.jobapi.WebhookReceiver.Mode;
import io.sluice.jobapi.WebhookReceiver.Received;
import io.sluice.schemas.job.JobStatus;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guarantee 4 with a real crash: a job-api process that projects a job's terminal event (and so
 * commits its delivery) is killed with SIGKILL before it sends, or while it sends; another instance
 * on the same database delivers the event, under the same webhook-id.
 */
class WebhookKillTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path logs;

  private static JobApiFixture startFixture() {
    // The in-test instance serves HTTP only: the child process projects events (and sends).
    return JobApiFixture.start(
        s ->
            s.webhooks(WebhookFixture.local().withSenderEnabled(false))
                .eventsConsumerEnabled(false));
  }

  @Test
  void shouldDeliverAnEventWhoseApiProcessWasKilledBetweenTheCommitAndTheSend() throws Exception {
    try (JobApiFixture fixture = startFixture();
        WebhookReceiver receiver = WebhookReceiver.start()) {
      JobApiFixture.Client client = fixture.newClient();
      JsonNode endpoint = createEndpoint(fixture, client, receiver.url().toString());
      SubmittedJob job = submit(client, VALID_BODY);
      Process child = startApiProcess(fixture, false);
      try {
        awaitReady(child);
        finish(fixture, job, JobStatus.SUCCEEDED);
        await()
            .atMost(WAIT)
            .until(
                () ->
                    fixture.count(
                            "SELECT count(*) FROM webhook_deliveries WHERE job_id = ?", job.id())
                        == 1);

        child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      } finally {
        child.destroyForcibly();
      }
      assertThat(receiver.received()).isEmpty();

      JobApi next =
          fixture.startAnother(
              s -> s.webhooks(fixture.settings.webhooks().withSenderEnabled(true)));
      try {
        await().atMost(WAIT).until(() -> !receiver.accepted().isEmpty());
      } finally {
        next.close();
      }
      Received received = receiver.accepted().getFirst();
      verify(endpoint.get("secret").asText(), received);
      assertThat(received.body()).contains(job.id());
    }
  }

  @Test
  void shouldDeliverAnEventWhoseApiProcessWasKilledDuringTheSend() throws Exception {
    try (JobApiFixture fixture = startFixture();
        WebhookReceiver receiver = WebhookReceiver.start().mode(Mode.HANG)) {
      JobApiFixture.Client client = fixture.newClient();
      JsonNode endpoint = createEndpoint(fixture, client, receiver.url().toString());
      SubmittedJob job = submit(client, VALID_BODY);
      Process child = startApiProcess(fixture, true);
      try {
        awaitReady(child);
        finish(fixture, job, JobStatus.SUCCEEDED);
        await().atMost(WAIT).until(() -> !receiver.received().isEmpty());

        child.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL while the send hangs
      } finally {
        child.destroyForcibly();
      }
      String hungId = receiver.received().getFirst().id();
      assertThat(fixture.count("SELECT count(*) FROM webhook_attempts")).isZero();
      receiver.mode(Mode.OK);

      JobApi next =
          fixture.startAnother(
              s -> s.webhooks(fixture.settings.webhooks().withSenderEnabled(true)));
      try {
        await().atMost(WAIT).until(() -> !receiver.accepted().isEmpty());
      } finally {
        next.close();
      }
      Received received = receiver.accepted().getFirst();
      assertThat(received.id()).isEqualTo(hungId);
      verify(endpoint.get("secret").asText(), received);
    }
  }

  private Process startApiProcess(JobApiFixture fixture, boolean sender) throws IOException {
    JobApiSettings settings = fixture.settings;
    String java = ProcessHandle.current().info().command().orElse("java");
    return new ProcessBuilder(
            java,
            "-cp",
            System.getProperty("java.class.path"),
            WebhookApiProcessMain.class.getName(),
            settings.jdbcUrl(),
            settings.dbUser(),
            settings.dbPassword(),
            settings.kafkaBootstrap(),
            settings.topicPrefix(),
            settings.webhooks().secretKey(),
            sender ? "sender=on" : "sender=off")
        .redirectErrorStream(true)
        .redirectOutput(logs.resolve("child.log").toFile())
        .start();
  }

  private void awaitReady(Process child) {
    await()
        .atMost(Duration.ofSeconds(90))
        .failFast("the job-api process exited before it was ready", () -> !child.isAlive())
        .until(() -> readyLine().isPresent());
  }

  private Optional<String> readyLine() throws IOException {
    Path log = logs.resolve("child.log");
    if (!Files.exists(log)) {
      return Optional.empty();
    }
    try (Stream<String> lines = Files.lines(log)) {
      return lines.filter(line -> line.startsWith("READY ")).findFirst();
    }
  }
}
