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
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Guarantee 1 with a real crash: a job-api process accepts jobs (202, committed) and is killed with
 * SIGKILL; another instance on the same database publishes whatever the killed one had not. With
 * the relay running in the killed process, the kill lands among commits, publications and deletes
 * of outbox rows, so a relay that deleted a row it had not published would lose a job here.
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
      Process child = startApiProcess(fixture, false);
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

  @Test
  void shouldPublishEveryAcceptedJobWhenTheRelayingApiProcessIsKilledMidStream() throws Exception {
    try (JobApiFixture fixture = JobApiFixture.start(s -> s.outboxRelayEnabled(false))) {
      JobApiFixture.Client client = fixture.newClient();
      fixture.api.close();
      fixture.api = null;
      String topic = fixture.topics.jobsSubmitted().name();
      Set<String> accepted = ConcurrentHashMap.newKeySet();
      int publishedBeforeKills = 0;
      for (int round = 1; round <= 2; round++) {
        Process child = startApiProcess(fixture, true);
        try {
          URI url = awaitReady(child);
          int target = accepted.size() + 150 + 50 * round;
          try (Submitters submitters = new Submitters(url, client.key, accepted)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> accepted.size() >= target);
            child.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL mid-stream
          }
          assertThat(child.isAlive()).isFalse();
        } finally {
          child.destroyForcibly();
        }
        publishedBeforeKills = keysOn(topic).size();
      }
      long leftInOutbox = fixture.count("SELECT count(*) FROM outbox");

      fixture.api = fixture.startAnother(s -> s.outboxRelayEnabled(true));

      await().atMost(Duration.ofSeconds(60)).until(() -> keysOn(topic).containsAll(accepted));
      assertThat(publishedBeforeKills).as("the killed processes' relay published").isPositive();
      assertThat(fixture.count("SELECT count(*) FROM jobs"))
          .isGreaterThanOrEqualTo(accepted.size());
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> fixture.count("SELECT count(*) FROM outbox") == 0);
      System.out.printf(
          "ApiKillTest: %d jobs accepted over 2 SIGKILLs, %d published by the killed processes,"
              + " %d left in the outbox for the next instance, none lost%n",
          accepted.size(), publishedBeforeKills, leftInOutbox);
    }
  }

  private static Set<String> keysOn(String topic) {
    return KafkaTestClients.readAll(topic).stream()
        .map(ConsumerRecord::key)
        .collect(Collectors.toSet());
  }

  /** Threads that submit jobs without pause until closed, remembering every 202. */
  private static final class Submitters implements AutoCloseable {
    private final ExecutorService threads = Executors.newFixedThreadPool(4);
    private volatile boolean running = true;

    Submitters(URI url, String key, Set<String> accepted) {
      for (int i = 0; i < 4; i++) {
        threads.submit(() -> submitUntilClosed(url, key, accepted));
      }
    }

    private void submitUntilClosed(URI url, String key, Set<String> accepted) {
      while (running) {
        try {
          java.net.http.HttpResponse<String> response =
              JobApiFixture.send(
                  HttpRequest.newBuilder(url.resolve("/v1/jobs"))
                      .header("Authorization", "Bearer " + key)
                      .header("Content-Type", "application/json")
                      .POST(HttpRequest.BodyPublishers.ofString(VALID_BODY)));
          if (response.statusCode() == 202) {
            accepted.add(HttpResponse202.of(response).id());
          }
        } catch (RuntimeException e) {
          // the process was killed under this request: not accepted, so not counted
        }
      }
    }

    @Override
    public void close() throws InterruptedException {
      running = false;
      threads.shutdown();
      threads.awaitTermination(30, TimeUnit.SECONDS);
    }
  }

  private Process startApiProcess(JobApiFixture fixture, boolean relay) throws Exception {
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
            settings.topicPrefix(),
            relay ? "relay=on" : "relay=off")
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
