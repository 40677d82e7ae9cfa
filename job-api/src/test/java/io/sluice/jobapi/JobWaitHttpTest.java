package io.sluice.jobapi;

import static io.sluice.jobapi.JobApiFixture.VALID_BODY;
import static io.sluice.jobapi.JobApiFixture.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.schemas.job.JobEvent;
import io.sluice.schemas.job.JobStatus;
import io.sluice.schemas.job.TokenUsage;
import io.sluice.schemas.json.JsonSerde;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Long poll ({@code GET /v1/jobs/{id}?wait=}) and server-sent events ({@code /v1/jobs/{id}/events})
 * on real PostgreSQL and Kafka: answers come when the projected status changes (events published
 * here as the dispatcher would), not when a wait runs out; waits of clients that went away are
 * released; a second instance that projects nothing still answers its waiters.
 */
class JobWaitHttpTest {
  private static final JsonSerde<JobEvent> EVENTS = JsonSerde.of(JobEvent.class);
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static final Duration PROMPTLY = Duration.ofSeconds(5);

  private static JobApiFixture fixture;

  @BeforeAll
  static void startApi() {
    fixture = JobApiFixture.start();
  }

  @AfterAll
  static void stopApi() {
    fixture.close();
  }

  private record Submitted(JobApiFixture.Client client, String id) {}

  private static Submitted submit() {
    JobApiFixture.Client client = fixture.newClient();
    return new Submitted(client, json(client.submit(VALID_BODY)).get("id").asText());
  }

  private static void publish(Submitted job, String eventId, JobStatus status) {
    JobEvent event =
        new JobEvent(
            1,
            eventId,
            job.id(),
            job.client().tenant.id(),
            status,
            status == JobStatus.SUCCEEDED ? "cba" : null,
            status.isTerminal() ? new TokenUsage(12, 2) : null,
            "openai",
            "gpt-4o-mini",
            status.isTerminal() ? new BigDecimal("0.000003") : null,
            null,
            1,
            Instant.now(),
            Instant.now());
    KafkaTestClients.send(fixture.topics.jobsEvents().name(), event.jobId(), EVENTS.toJson(event));
  }

  private static HttpRequest.Builder request(URI base, Submitted job, String path) {
    return HttpRequest.newBuilder(base.resolve("/v1/jobs/" + job.id() + path))
        .header("Authorization", "Bearer " + job.client().key)
        .timeout(Duration.ofSeconds(90));
  }

  private static CompletableFuture<HttpResponse<String>> longPoll(
      URI base, Submitted job, String wait) {
    return HTTP.sendAsync(
        request(base, job, "?wait=" + wait).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static HttpResponse<String> longPollNow(Submitted job, String wait) {
    return longPoll(fixture.api.url(), job, wait).join();
  }

  private static void awaitWaiting(JobApi api, int n) {
    await().atMost(Duration.ofSeconds(10)).until(() -> api.waitingClients() == n);
  }

  @Test
  void shouldAnswerALongPollAsSoonAsTheJobEndsNotWhenTheWaitRunsOut() {
    Submitted job = submit();
    CompletableFuture<HttpResponse<String>> poll = longPoll(fixture.api.url(), job, "30s");
    awaitWaiting(fixture.api, 1);

    publish(job, "ev_run", JobStatus.RUNNING);
    await().until(() -> json(job.client().get(job.id())).get("status").asText().equals("running"));
    assertThat(poll).as("running is not the end").isNotDone();
    long published = System.nanoTime();
    publish(job, "ev_done", JobStatus.SUCCEEDED);
    HttpResponse<String> answer = poll.join();
    Duration took = Duration.ofNanos(System.nanoTime() - published);

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(json(answer).get("status").asText()).isEqualTo("succeeded");
    assertThat(json(answer).get("output").asText()).isEqualTo("cba");
    assertThat(took).isLessThan(PROMPTLY);
    awaitWaiting(fixture.api, 0);
  }

  @Test
  void shouldAnswerALongPollOfAnEndedJobAtOnce() {
    Submitted job = submit();
    publish(job, "ev_done", JobStatus.SUCCEEDED);
    await()
        .until(() -> json(job.client().get(job.id())).get("status").asText().equals("succeeded"));

    long start = System.nanoTime();
    HttpResponse<String> answer = longPollNow(job, "60s");

    assertThat(json(answer).get("status").asText()).isEqualTo("succeeded");
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(PROMPTLY);
  }

  @Test
  void shouldAnswerWithTheUnfinishedJobWhenTheWaitRunsOut() {
    Submitted job = submit();

    long start = System.nanoTime();
    HttpResponse<String> answer = longPollNow(job, "700ms");
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertThat(answer.statusCode()).isEqualTo(200);
    assertThat(json(answer).get("status").asText()).isEqualTo("queued");
    assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(700)).isLessThan(PROMPTLY);
    awaitWaiting(fixture.api, 0);
  }

  @Test
  void shouldAcceptWaitsInMillisecondsSecondsAndMinutes() {
    Submitted job = submit();
    publish(job, "ev_done", JobStatus.FAILED);
    await().until(() -> json(job.client().get(job.id())).get("status").asText().equals("failed"));

    for (String wait : List.of("0s", "500ms", "30s", "1m", "60000ms")) {
      assertThat(longPollNow(job, wait).statusCode()).as(wait).isEqualTo(200);
    }
  }

  @Test
  void shouldRefuseAWaitOverSixtySecondsOrMalformedNamingWait() {
    Submitted job = submit();

    for (String wait : List.of("61s", "2m", "60001ms", "30", "1.5s", "-1s", "s", "1h", "%00")) {
      HttpResponse<String> answer = longPollNow(job, wait);
      assertThat(answer.statusCode()).as(wait + " → " + answer.body()).isEqualTo(400);
      assertThat(json(answer).at("/error/fields/0/field").asText()).isEqualTo("wait");
    }
    assertThat(fixture.api.waitingClients()).isZero();
  }

  @Test
  void shouldAnswer404ToALongPollOrStreamOfAnotherTenantsJob() {
    Submitted job = submit();
    Submitted stranger = new Submitted(fixture.newClient(), job.id());

    assertThat(longPollNow(stranger, "1s").statusCode()).isEqualTo(404);
    HttpResponse<String> stream =
        JobApiFixture.send(request(fixture.api.url(), stranger, "/events").GET());
    assertThat(stream.statusCode()).isEqualTo(404);
    assertThat(json(stream).at("/error/type").asText()).isEqualTo("not_found");
  }

  @Test
  void shouldReleaseTheWaitOfALongPollClientThatHangsUp() throws IOException {
    Submitted job = submit();
    URI url = fixture.api.url();
    try (Socket socket = new Socket(url.getHost(), url.getPort())) {
      OutputStream out = socket.getOutputStream();
      out.write(
          ("GET /v1/jobs/"
                  + job.id()
                  + "?wait=60s HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                  + job.client().key
                  + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      awaitWaiting(fixture.api, 1);
    }
    awaitWaiting(fixture.api, 0);
  }

  @Test
  void shouldStreamEachStatusInOrderAndCloseAfterTheTerminalOne() {
    Submitted job = submit();
    List<String> lines = new CopyOnWriteArrayList<>();
    CompletableFuture<HttpResponse<Stream<String>>> stream =
        HTTP.sendAsync(
            request(fixture.api.url(), job, "/events").GET().build(),
            HttpResponse.BodyHandlers.ofLines());
    HttpResponse<Stream<String>> response = stream.join();
    assertThat(response.headers().firstValue("Content-Type"))
        .get()
        .asString()
        .startsWith("text/event-stream");
    CompletableFuture<Void> read =
        CompletableFuture.runAsync(() -> response.body().forEach(lines::add));

    await().until(() -> dataStatuses(lines).equals(List.of("queued")));
    publish(job, "ev_run", JobStatus.RUNNING);
    await().until(() -> dataStatuses(lines).equals(List.of("queued", "running")));
    publish(job, "ev_done", JobStatus.SUCCEEDED);

    read.orTimeout(10, java.util.concurrent.TimeUnit.SECONDS).join(); // the server closed it
    assertThat(dataStatuses(lines)).containsExactly("queued", "running", "succeeded");
    JsonNode last = readJson(lines.stream().filter(l -> l.startsWith("data:")).toList().getLast());
    assertThat(last).isEqualTo(json(job.client().get(job.id())));
    awaitWaiting(fixture.api, 0);
  }

  @Test
  void shouldReleaseTheWaitOfAStreamClientThatHangsUp() throws IOException {
    Submitted job = submit();
    URI url = fixture.api.url();
    try (Socket socket = new Socket(url.getHost(), url.getPort())) {
      socket
          .getOutputStream()
          .write(
              ("GET /v1/jobs/"
                      + job.id()
                      + "/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "
                      + job.client().key
                      + "\r\n\r\n")
                  .getBytes(StandardCharsets.US_ASCII));
      awaitWaiting(fixture.api, 1);
    }
    awaitWaiting(fixture.api, 0);
  }

  @Test
  void shouldAnswerAWaiterOnAnInstanceThatProjectsNoEvents() {
    try (JobApi second = fixture.startAnother(s -> s.httpPort(0).eventsConsumerEnabled(false))) {
      Submitted job = submit();
      CompletableFuture<HttpResponse<String>> poll = longPoll(second.url(), job, "30s");
      awaitWaiting(second, 1);

      long published = System.nanoTime();
      publish(job, "ev_done", JobStatus.SUCCEEDED);

      assertThat(json(poll.join()).get("status").asText()).isEqualTo("succeeded");
      assertThat(Duration.ofNanos(System.nanoTime() - published)).isLessThan(PROMPTLY);
    }
  }

  private static List<String> dataStatuses(List<String> lines) {
    return lines.stream()
        .filter(line -> line.startsWith("data:"))
        .map(line -> readJson(line).get("status").asText())
        .toList();
  }

  private static JsonNode readJson(String dataLine) {
    try {
      return io.sluice.schemas.json.Json.mapper().readTree(dataLine.substring("data:".length()));
    } catch (IOException e) {
      throw new AssertionError(dataLine, e);
    }
  }
}
