package io.sluice.jobapi;

import static io.sluice.jobapi.JobApiFixture.VALID_BODY;
import static io.sluice.jobapi.JobApiFixture.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.embedded.TestInfrastructure;
import io.sluice.schemas.job.JobEvent;
import io.sluice.schemas.job.JobStatus;
import io.sluice.schemas.job.TokenUsage;
import io.sluice.schemas.json.JsonSerde;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.math.BigDecimal;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * 1,000 concurrent long polls on one job-api (100 jobs, 10 waiting clients each, over 1,000
 * connections): the JVM's thread count stays where it was while they all wait, and every one is
 * answered with the terminal job soon after the jobs end.
 */
class JobWaitLoadTest {
  private static final Logger LOG = LoggerFactory.getLogger(JobWaitLoadTest.class);
  private static final int JOBS = 100;
  private static final int CLIENTS_PER_JOB = 10;
  private static final int CLIENTS = JOBS * CLIENTS_PER_JOB;
  private static final int MAX_EXTRA_THREADS = 50;
  private static final JsonSerde<JobEvent> EVENTS = JsonSerde.of(JobEvent.class);

  private static JobApiFixture fixture;
  private static ExecutorService clientExecutor;
  private static HttpClient http;

  @BeforeAll
  static void startApi() {
    fixture = JobApiFixture.start(s -> s.dbPoolSize(8));
    clientExecutor = Executors.newFixedThreadPool(2);
    http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .executor(clientExecutor)
            .connectTimeout(Duration.ofSeconds(30))
            .build();
  }

  @AfterAll
  static void stopApi() {
    http.close();
    clientExecutor.shutdownNow();
    fixture.close();
  }

  private static CompletableFuture<HttpResponse<String>> longPoll(
      JobApiFixture.Client client, String jobId) {
    return http.sendAsync(
        HttpRequest.newBuilder(fixture.url("/v1/jobs/" + jobId + "?wait=60s"))
            .header("Authorization", "Bearer " + client.key)
            .timeout(Duration.ofSeconds(90))
            .GET()
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void shouldHoldAThousandWaitingClientsOnABoundedNumberOfThreadsAndAnswerThemAll() {
    JobApiFixture.Client client = fixture.newClient();
    List<String> jobs =
        IntStream.range(0, JOBS)
            .mapToObj(i -> json(client.submit(VALID_BODY)).get("id").asText())
            .toList();
    warmUp(client, jobs.getFirst());
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    int before = threads.getThreadCount();

    List<CompletableFuture<HttpResponse<String>>> polls = new ArrayList<>();
    for (String job : jobs) {
      for (int i = 0; i < CLIENTS_PER_JOB; i++) {
        polls.add(longPoll(client, job));
      }
    }
    await().atMost(Duration.ofSeconds(60)).until(() -> fixture.api.waitingClients() == CLIENTS);
    int waiting = threads.getThreadCount();
    long heapWaiting = usedHeap();
    assertThat(polls).noneMatch(CompletableFuture::isDone);

    long published = System.nanoTime();
    finishAll(client, jobs);
    CompletableFuture.allOf(polls.toArray(CompletableFuture[]::new)).join();
    Duration answered = Duration.ofNanos(System.nanoTime() - published);

    LOG.info(
        "{} long polls waiting: {} JVM threads before, {} while waiting (peak {}), heap used {} MB;"
            + " all answered {} ms after the {} terminal events were published",
        CLIENTS,
        before,
        waiting,
        threads.getPeakThreadCount(),
        heapWaiting / 1_000_000,
        answered.toMillis(),
        JOBS);
    assertThat(waiting - before).isLessThan(MAX_EXTRA_THREADS);
    assertThat(polls)
        .allSatisfy(
            poll -> {
              assertThat(poll.join().statusCode()).isEqualTo(200);
              assertThat(json(poll.join()).get("status").asText()).isEqualTo("succeeded");
            });
    assertThat(answered).isLessThan(Duration.ofSeconds(30));
    await().until(() -> fixture.api.waitingClients() == 0);
  }

  // Starts the server's and the client's threads that any traffic starts, before counting.
  private static void warmUp(JobApiFixture.Client client, String jobId) {
    List<CompletableFuture<HttpResponse<String>>> warm = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      warm.add(
          http.sendAsync(
              HttpRequest.newBuilder(fixture.url("/v1/jobs/" + jobId + "?wait=100ms"))
                  .header("Authorization", "Bearer " + client.key)
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString()));
    }
    warm.forEach(CompletableFuture::join);
  }

  private static long usedHeap() {
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }

  private static void finishAll(JobApiFixture.Client client, List<String> jobs) {
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestInfrastructure.kafka().bootstrapServers()),
            new StringSerializer(),
            new StringSerializer())) {
      for (String job : jobs) {
        JobEvent done =
            new JobEvent(
                1,
                "ev_done_" + job,
                job,
                client.tenant.id(),
                JobStatus.SUCCEEDED,
                "cba",
                new TokenUsage(12, 2),
                "openai",
                "gpt-4o-mini",
                new BigDecimal("0.000003"),
                null,
                1,
                Instant.now(),
                Instant.now());
        producer.send(
            new ProducerRecord<>(fixture.topics.jobsEvents().name(), job, EVENTS.toJson(done)));
      }
      producer.flush();
    }
  }
}
