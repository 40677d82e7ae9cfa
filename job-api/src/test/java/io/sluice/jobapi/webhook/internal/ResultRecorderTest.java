package io.sluice.jobapi.webhook.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.sluice.embedded.PostgresEndpoint;
import io.sluice.embedded.TestInfrastructure;
import io.sluice.jobapi.store.DataSources;
import io.sluice.jobapi.store.Database;
import io.sluice.jobapi.store.Migrations;
import io.sluice.jobapi.store.Sql;
import io.sluice.jobapi.webhook.Attempt;
import io.sluice.jobapi.webhook.AttemptResult;
import io.sluice.jobapi.webhook.DeliveryPolicy;
import io.sluice.jobapi.webhook.EventType;
import io.sluice.jobapi.webhook.RetrySchedule;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Sends' results recorded in batches, on a real PostgreSQL. */
class ResultRecorderTest {
  private static final Instant NOW = Instant.parse("2030-06-01T12:00:00Z");
  private static final String TENANT = "tn_recorder";
  private static PostgresEndpoint postgres;
  private static HikariDataSource pool;
  private static Database database;
  private final DeliveryRepository deliveries = new DeliveryRepository();
  private final ResultRecorder recorder = new ResultRecorder();
  private final DeliveryPolicy policy =
      new DeliveryPolicy(new RetrySchedule(List.of(Duration.ofSeconds(5)), 0), () -> 0.5);

  @BeforeAll
  static void migrate() {
    postgres = TestInfrastructure.newDatabase();
    pool = DataSources.create(postgres.jdbcUrl(), postgres.username(), postgres.password(), 2);
    Migrations.migrate(pool);
    database = new Database(pool);
    update("INSERT INTO tenants (id, name, created_at) VALUES (?, 'recorder', now())", TENANT);
  }

  @AfterAll
  static void drop() {
    pool.close();
    postgres.close();
  }

  @Test
  void shouldRecordABatchOfResultsWithTheirAttemptsWhereTheClaimIsStillTheSenders() {
    String endpoint = endpoint();
    List<DeliveryRepository.Claimed> claimed = claim(endpoint, 3, "token-1");
    DeliveryRepository.Claimed taken = claimed.get(2);
    update("UPDATE webhook_deliveries SET claim_token = 'token-2' WHERE id = ?", taken.id());
    List<SendResult> results =
        List.of(
            result(claimed.get(0), "token-1", ok(), NOW),
            result(claimed.get(1), "token-1", status(500), NOW.plusMillis(1)),
            result(taken, "token-1", ok(), NOW.plusMillis(2)));

    int recorded = database.inTransaction(c -> recorder.record(c, results));

    assertThat(recorded).isEqualTo(2);
    assertThat(row(claimed.get(0).id()))
        .isEqualTo(List.of("succeeded", "1", "null", "null", "null"));
    assertThat(row(claimed.get(1).id()))
        .isEqualTo(
            List.of(
                "failed",
                "1",
                NOW.plusMillis(1).plusSeconds(5).toString(),
                "null",
                "answered 500"));
    assertThat(row(taken.id()))
        .isEqualTo(List.of("pending", "0", NOW.plusSeconds(120).toString(), "token-2", "null"));
    assertThat(attempts(claimed.get(0).id())).containsExactly("204@" + NOW);
    assertThat(attempts(claimed.get(1).id())).containsExactly("500@" + NOW.plusMillis(1));
    assertThat(attempts(taken.id())).containsExactly("204@" + NOW.plusMillis(2));
  }

  @Test
  void shouldGiveBackUnsentDeliveriesDueAgainWithoutAnAttemptWhereTheClaimIsStillTheSenders() {
    String endpoint = endpoint();
    List<DeliveryRepository.Claimed> claimed = claim(endpoint, 2, "token-1");
    update(
        "UPDATE webhook_deliveries SET claim_token = 'token-2' WHERE id = ?", claimed.get(1).id());

    database.inTransaction(
        c -> {
          recorder.giveBack(
              c,
              List.of(
                  new ResultRecorder.Unsent(claimed.get(0).id(), "token-1"),
                  new ResultRecorder.Unsent(claimed.get(1).id(), "token-1")),
              NOW.plusSeconds(1));
          return null;
        });

    assertThat(row(claimed.get(0).id()))
        .isEqualTo(List.of("pending", "0", NOW.plusSeconds(1).toString(), "null", "null"));
    assertThat(row(claimed.get(1).id()))
        .isEqualTo(List.of("pending", "0", NOW.plusSeconds(120).toString(), "token-2", "null"));
    assertThat(attempts(claimed.get(0).id())).isEmpty();
  }

  @Test
  void shouldLeaveAHealthyEndpointsRowUnwrittenAfterSuccesses() {
    String endpoint = endpoint();
    List<DeliveryRepository.Claimed> claimed = claim(endpoint, 2, "token-1");
    long before = version(endpoint);
    List<SendResult> results =
        List.of(
            result(claimed.get(0), "token-1", ok(), NOW),
            result(claimed.get(1), "token-1", ok(), NOW));

    database.inTransaction(c -> recorder.record(c, results));

    assertThat(results).noneMatch(SendResult::changesEndpoint);
    assertThat(version(endpoint)).isEqualTo(before);
  }

  @Test
  void shouldBeginTheEndpointsRunOfFailuresAndPauseItThenEndTheRunWithASuccess() {
    String endpoint = endpoint();
    List<DeliveryRepository.Claimed> first = claim(endpoint, 1, "token-1");
    SendResult refused =
        result(
            first.getFirst(),
            "token-1",
            AttemptResult.noResponse("connection failed: refused", Duration.ofMillis(3)),
            NOW);
    database.inTransaction(c -> recorder.record(c, List.of(refused)));

    assertThat(endpointState(endpoint))
        .containsExactly(NOW.toString(), NOW.plusSeconds(5).toString());

    update("UPDATE webhook_endpoints SET paused_until = NULL WHERE id = ?", endpoint);
    insertDelivery(endpoint);
    List<DeliveryRepository.Claimed> second = claim(endpoint, 1, "token-2");
    assertThat(second.getFirst().failingSince()).isEqualTo(NOW);
    SendResult delivered = result(second.getFirst(), "token-2", ok(), NOW.plusSeconds(6));
    assertThat(delivered.changesEndpoint()).isTrue();
    database.inTransaction(c -> recorder.record(c, List.of(delivered)));

    assertThat(endpointState(endpoint)).containsExactly("null", "null");
  }

  private SendResult result(
      DeliveryRepository.Claimed delivery, String token, AttemptResult outcome, Instant at) {
    int made = delivery.attempts() + 1;
    return new SendResult(
        delivery,
        token,
        made,
        new Attempt(
            at,
            outcome.responded() ? outcome.statusCode() : null,
            outcome.latency().toMillis(),
            outcome.error()),
        policy.decide(outcome, made, at, delivery.failingSince()));
  }

  private static AttemptResult ok() {
    return status(204);
  }

  private static AttemptResult status(int code) {
    return AttemptResult.response(code, Optional.empty(), Duration.ofMillis(4));
  }

  private static String endpoint() {
    String id = "we_" + UUID.randomUUID().toString().replace("-", "");
    update(
        "INSERT INTO webhook_endpoints (id, tenant_id, url, event_types, description, enabled,"
            + " secret, created_at, updated_at)"
            + " VALUES (?, '"
            + TENANT
            + "', 'https://hooks.example.com/', '[\"job.succeeded\"]',"
            + " '', true, '\\x00'::bytea, now(), now())",
        id);
    return id;
  }

  private void insertDelivery(String endpoint) {
    String id = "msg_" + UUID.randomUUID().toString().replace("-", "");
    database.inTransaction(
        c -> {
          deliveries.insert(
              c, id, TENANT, endpoint, null, "job_" + id, EventType.JOB_SUCCEEDED, "{}", NOW);
          return null;
        });
  }

  private List<DeliveryRepository.Claimed> claim(String endpoint, int count, String token) {
    for (int i = 0; i < count; i++) {
      insertDelivery(endpoint);
    }
    return database.inTransaction(
        c -> {
          List<DeliveryRepository.Claimed> due =
              deliveries.lockDue(c, NOW.plusSeconds(60), Set.of(), count, count).stream()
                  .filter(d -> endpoint.equals(d.endpointId()))
                  .toList();
          deliveries.lease(
              c,
              due.stream().map(DeliveryRepository.Claimed::id).toList(),
              token,
              NOW.plusSeconds(120),
              NOW);
          return due;
        });
  }

  private static List<String> row(String id) {
    return database.inTransaction(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT status, attempts, next_attempt_at, claim_token, last_error"
                      + " FROM webhook_deliveries WHERE id = ?")) {
            s.setString(1, id);
            try (ResultSet r = s.executeQuery()) {
              r.next();
              return List.of(
                  r.getString(1),
                  String.valueOf(r.getInt(2)),
                  String.valueOf(Sql.getInstant(r, "next_attempt_at")),
                  String.valueOf(r.getString(4)),
                  String.valueOf(r.getString(5)));
            }
          }
        });
  }

  private static List<String> attempts(String deliveryId) {
    return database.inTransaction(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT status_code, attempted_at FROM webhook_attempts WHERE delivery_id = ?"
                      + " ORDER BY id")) {
            s.setString(1, deliveryId);
            List<String> found = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
              while (r.next()) {
                found.add(r.getInt(1) + "@" + Sql.getInstant(r, "attempted_at"));
              }
            }
            return found;
          }
        });
  }

  private static List<String> endpointState(String id) {
    return database.inTransaction(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement(
                  "SELECT failing_since, paused_until FROM webhook_endpoints WHERE id = ?")) {
            s.setString(1, id);
            try (ResultSet r = s.executeQuery()) {
              r.next();
              return List.of(
                  String.valueOf(Sql.getInstant(r, "failing_since")),
                  String.valueOf(Sql.getInstant(r, "paused_until")));
            }
          }
        });
  }

  // The row's transaction ID: it changes with every write of the row.
  private static long version(String id) {
    return database.inTransaction(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement("SELECT xmin::text::bigint FROM webhook_endpoints WHERE id = ?")) {
            s.setString(1, id);
            try (ResultSet r = s.executeQuery()) {
              r.next();
              return r.getLong(1);
            }
          }
        });
  }

  private static void update(String sql, String parameter) {
    database.inTransaction(
        c -> {
          try (PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, parameter);
            s.executeUpdate();
          }
          return null;
        });
  }
}
