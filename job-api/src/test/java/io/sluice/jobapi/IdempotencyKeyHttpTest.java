package io.sluice.jobapi;

import static io.sluice.jobapi.JobApiFixture.VALID_BODY;
import static io.sluice.jobapi.JobApiFixture.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.testing.ManualClock;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class IdempotencyKeyHttpTest {
  private static final String SAME_BODY_REFORMATTED =
      """
      { "messages": [ { "content": "reverse: abc", "role": "user" } ],
        "model": "gpt-4o-mini", "priority": "standard" }
      """;

  private static JobApiFixture fixture;

  @BeforeAll
  static void startApi() {
    fixture = JobApiFixture.start();
  }

  @AfterAll
  static void stopApi() {
    fixture.close();
  }

  @Test
  void shouldReturnTheOriginalJobWith200ForTheSameKeyAndBody() {
    JobApiFixture.Client client = fixture.newClient();

    HttpResponse<String> first = client.submit(VALID_BODY, "Idempotency-Key", "order-1");
    HttpResponse<String> retry = client.submit(SAME_BODY_REFORMATTED, "Idempotency-Key", "order-1");

    assertThat(first.statusCode()).isEqualTo(202);
    assertThat(retry.statusCode()).isEqualTo(200);
    assertThat(json(retry).get("id")).isEqualTo(json(first).get("id"));
    assertThat(json(retry).get("created_at")).isEqualTo(json(first).get("created_at"));
    assertThat(client.jobCount()).isEqualTo(1);
  }

  @Test
  void shouldRefuseTheSameKeyWithADifferentBodyWith422() {
    JobApiFixture.Client client = fixture.newClient();
    client.submit(VALID_BODY, "Idempotency-Key", "order-2");

    HttpResponse<String> other =
        client.submit(VALID_BODY.replace("abc", "xyz"), "Idempotency-Key", "order-2");

    assertThat(other.statusCode()).isEqualTo(422);
    assertThat(json(other).at("/error/type").asText()).isEqualTo("idempotency_key_reused");
    assertThat(json(other).at("/error/message").asText()).contains("order-2");
    assertThat(client.jobCount()).isEqualTo(1);
  }

  @Test
  void shouldScopeKeysToTheirTenant() {
    JobApiFixture.Client one = fixture.newClient();
    JobApiFixture.Client two = fixture.newClient();

    HttpResponse<String> first = one.submit(VALID_BODY, "Idempotency-Key", "shared");
    HttpResponse<String> second = two.submit(VALID_BODY, "Idempotency-Key", "shared");

    assertThat(first.statusCode()).isEqualTo(202);
    assertThat(second.statusCode()).isEqualTo(202);
    assertThat(json(second).get("id")).isNotEqualTo(json(first).get("id"));
  }

  @Test
  void shouldAnswer409WhileARequestWithTheSameKeyIsInFlight() throws Exception {
    JobApiFixture.Client client = fixture.newClient();
    // Hold the key's lock from outside, exactly as a first request in its transaction does.
    try (Connection inFlight =
            DriverManager.getConnection(
                fixture.database.jdbcUrl(),
                fixture.database.username(),
                fixture.database.password());
        PreparedStatement lock =
            inFlight.prepareStatement("SELECT pg_advisory_lock(hashtextextended(?, 0))")) {
      lock.setString(1, client.tenant.id() + "\n" + "order-3");
      lock.execute();

      HttpResponse<String> concurrent = client.submit(VALID_BODY, "Idempotency-Key", "order-3");

      assertThat(concurrent.statusCode()).isEqualTo(409);
      assertThat(json(concurrent).at("/error/type").asText())
          .isEqualTo("idempotency_key_in_flight");
      assertThat(concurrent.headers().firstValue("Retry-After")).isPresent();
    }
    assertThat(client.jobCount()).isZero();
    assertThat(client.submit(VALID_BODY, "Idempotency-Key", "order-3").statusCode()).isEqualTo(202);
  }

  @Test
  void shouldCreateExactlyOneJobForConcurrentRetries() throws Exception {
    JobApiFixture.Client client = fixture.newClient();
    int requests = 16;
    CountDownLatch start = new CountDownLatch(1);
    List<Future<HttpResponse<String>>> responses = new ArrayList<>();
    try (ExecutorService pool = Executors.newFixedThreadPool(requests)) {
      Callable<HttpResponse<String>> retry =
          () -> {
            start.await();
            return client.submit(VALID_BODY, "Idempotency-Key", "order-4");
          };
      for (int i = 0; i < requests; i++) {
        responses.add(pool.submit(retry));
      }
      start.countDown();
      List<Integer> statuses = new ArrayList<>();
      List<String> ids = new ArrayList<>();
      for (Future<HttpResponse<String>> response : responses) {
        statuses.add(response.get().statusCode());
        if (response.get().statusCode() != 409) {
          ids.add(json(response.get()).get("id").asText());
        }
      }

      assertThat(statuses).isSubsetOf(200, 202, 409).containsOnlyOnce(202);
      assertThat(ids).hasSizeGreaterThanOrEqualTo(1).containsOnly(ids.getFirst());
    }
    assertThat(client.jobCount()).isEqualTo(1);
  }

  @Test
  void shouldForgetAKeyAfterTheRetention() {
    ManualClock clock = new ManualClock(Instant.now());
    try (JobApiFixture timed = JobApiFixture.start(s -> s.clock(clock))) {
      JobApiFixture.Client client = timed.newClient();
      String first = json(client.submit(VALID_BODY, "Idempotency-Key", "daily")).get("id").asText();

      clock.advance(Duration.ofHours(23));
      HttpResponse<String> withinRetention = client.submit(VALID_BODY, "Idempotency-Key", "daily");
      clock.advance(Duration.ofHours(1));
      HttpResponse<String> afterRetention = client.submit(VALID_BODY, "Idempotency-Key", "daily");

      assertThat(withinRetention.statusCode()).isEqualTo(200);
      assertThat(json(withinRetention).get("id").asText()).isEqualTo(first);
      assertThat(afterRetention.statusCode()).isEqualTo(202);
      assertThat(json(afterRetention).get("id").asText()).isNotEqualTo(first);
      assertThat(client.jobCount()).isEqualTo(2);
    }
  }

  @Test
  void shouldDeleteExpiredKeysFromTheDatabaseAndKeepLiveOnes() {
    ManualClock clock = new ManualClock(Instant.now());
    try (JobApiFixture timed =
        JobApiFixture.start(s -> s.clock(clock).idempotencyPurgeInterval(Duration.ofMillis(100)))) {
      JobApiFixture.Client client = timed.newClient();
      client.submit(VALID_BODY, "Idempotency-Key", "monday-1");
      client.submit(VALID_BODY, "Idempotency-Key", "monday-2");
      clock.advance(Duration.ofHours(23));
      client.submit(VALID_BODY, "Idempotency-Key", "tuesday");

      clock.advance(Duration.ofHours(1));

      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> timed.count("SELECT count(*) FROM idempotency_keys") == 1);
      assertThat(
              timed.count(
                  "SELECT count(*) FROM idempotency_keys WHERE idempotency_key = ?", "tuesday"))
          .isEqualTo(1);
      assertThat(client.jobCount()).isEqualTo(3);
    }
  }
}
