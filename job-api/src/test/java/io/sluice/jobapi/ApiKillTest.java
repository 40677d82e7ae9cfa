package io.sluice.jobapi;

import static io.sluice.jobapi.JobApiFixture.VALID_BODY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.jobapi.OutboxTest.HttpResponse202;
import io.sluice.schemas.job.SubmittedJob;
import io.sluice.schemas.json.JsonSerde;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guarantee 1 with a real crash: a job-api process accepts a job (202, committed) and is killed
 * with SIGKILL before it publishes it; another instance on the same database publishes it.
 */
class ApiKillTest {
  private static final JsonSerde<SubmittedJob> SUBMITTED = JsonSerde.of(SubmittedJob.class);

  @TempDir Path logs;
  private Path output;

  @BeforeEach
  void outputFile() {
    output = logs.resolve("job-api-process.log");
  }

  @Test
  void shouldPublishAJobWhoseApiProcessWasKilledAfterTheCommit() throws Exception {
    try (JobApiFixture fixture = JobApiFixture.start(s -> s.outboxRelayEnabled(false))) {
      JobApiFixture.Client client = fixture.newClient();
      fixture.api.close();
      String topic = fixture.topics.jobsSubmitted().name();
      Process child = startApiProcess(fixture);
      try {
        URI url = awaitReady(child);
        HttpResponse202 accepted =
            HttpResponse202.of(
                JobApiFixture.send(
                    HttpRequest.newBuilder(url.resolve("/v1/jobs"))
                        .header("Authorization", "Bearer " + client.key)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(VALID_BODY))));

        child.destroyForcibly().waitFor(30, TimeUnit.SECONDS);

        assertThat(child.isAlive()).isFalse();
        assertThat(fixture.count("SELECT count(*) FROM outbox WHERE record_key = ?", accepted.id()))
            .isEqualTo(1);
        assertThat(KafkaTestClients.readAll(topic)).isEmpty();

        fixture.api = fixture.startAnother(s -> s.outboxRelayEnabled(true));

        await()
            .atMost(Duration.ofSeconds(30))
            .until(() -> KafkaTestClients.readAll(topic), records -> !records.isEmpty());
        List<ConsumerRecord<String, String>> published = KafkaTestClients.readAll(topic);
        assertThat(published).hasSize(1);
        SubmittedJob job =
            SUBMITTED.fromBytes(published.getFirst().value().getBytes(StandardCharsets.UTF_8));
        assertThat(job.jobId()).isEqualTo(accepted.id());
        assertThat(job.tenantId()).isEqualTo(client.tenant.id());
        assertThat(job.submittedAt()).isEqualTo(accepted.createdAt());
        assertThat(fixture.count("SELECT count(*) FROM outbox")).isZero();
      } finally {
        child.destroyForcibly();
      }
    }
  }

  private Process startApiProcess(JobApiFixture fixture) throws Exception {
    JobApiSettings settings = fixture.settings;
    String java = ProcessHandle.current().info().command().orElse("java");
    return new ProcessBuilder(
            java,
            "-cp",
            System.getProperty("java.class.path"),
            JobApiProcessMain.class.getName(),
            settings.jdbcUrl(),
            settings.dbUser(),
            settings.dbPassword(),
            settings.kafkaBootstrap(),
            settings.topicPrefix())
        .redirectErrorStream(true)
        .redirectOutput(output.toFile())
        .start();
  }

  private URI awaitReady(Process child) throws IOException {
    await()
        .atMost(Duration.ofSeconds(90))
        .failFast("the job-api process exited before it was ready", () -> !child.isAlive())
        .until(() -> readyLine().isPresent());
    return URI.create(readyLine().orElseThrow().substring("READY ".length()).strip());
  }

  private Optional<String> readyLine() throws IOException {
    try (Stream<String> lines = Files.lines(output)) {
      return lines.filter(line -> line.startsWith("READY ")).findFirst();
    }
  }
}
