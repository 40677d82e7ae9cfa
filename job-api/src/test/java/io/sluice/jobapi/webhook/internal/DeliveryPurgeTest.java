package io.sluice.jobapi.webhook.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.sluice.embedded.PostgresEndpoint;
import io.sluice.embedded.TestInfrastructure;
import io.sluice.jobapi.store.DataSources;
import io.sluice.jobapi.store.Database;
import io.sluice.jobapi.store.Migrations;
import io.sluice.jobapi.webhook.Attempt;
import io.sluice.jobapi.webhook.EventType;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The retention of finished deliveries, on a real PostgreSQL and a fixed clock. */
class DeliveryPurgeTest {
  private static final Instant NOW = Instant.parse("2030-06-01T12:00:00Z");
  private static final Duration RETENTION = Duration.ofDays(30);
  private static PostgresEndpoint postgres;
  private static HikariDataSource pool;
  private static Database database;
  private final DeliveryRepository deliveries = new DeliveryRepository();
  private final AttemptRepository attempts = new AttemptRepository();

  @BeforeAll
  static void migrate() {
    postgres = TestInfrastructure.newDatabase();
    pool = DataSources.create(postgres.jdbcUrl(), postgres.username(), postgres.password(), 2);
    Migrations.migrate(pool);
    database = new Database(pool);
    database.inTransaction(
        c -> {
          try (PreparedStatement s =
              c.prepareStatement("INSERT INTO tenants (id, name, created_at) VALUES (?, ?, ?)")) {
            s.setString(1, "tn_purge");
            s.setString(2, "purge");
            s.setObject(3, NOW.atOffset(ZoneOffset.UTC));
            s.executeUpdate();
          }
          return null;
        });
  }

  @AfterAll
  static void drop() {
    pool.close();
    postgres.close();
  }

  private String delivery(String status, Instant updatedAt) {
    String id = "msg_" + java.util.UUID.randomUUID().toString().replace("-", "");
    database.inTransaction(
        c -> {
          deliveries.insert(
              c,
              id,
              "tn_purge",
              null,
              "https://hooks.example.com/one-off",
              "job_" + id,
              EventType.JOB_SUCCEEDED,
              "{}",
              updatedAt);
          attempts.insert(c, id, new Attempt(updatedAt, 500, 12, "status 500"));
          try (PreparedStatement s =
              c.prepareStatement(
                  "UPDATE webhook_deliveries SET status = ?, updated_at = ? WHERE id = ?")) {
            s.setString(1, status);
            s.setObject(2, updatedAt.atOffset(ZoneOffset.UTC));
            s.setString(3, id);
            s.executeUpdate();
          }
          return null;
        });
    return id;
  }

  private List<String> remaining() {
    return database.inTransaction(
        c -> {
          List<String> ids = new ArrayList<>();
          try (var s = c.prepareStatement("SELECT id FROM webhook_deliveries");
              var rows = s.executeQuery()) {
            while (rows.next()) {
              ids.add(rows.getString(1));
            }
          }
          return ids;
        });
  }

  private long attemptRows() {
    return database.inTransaction(
        c -> {
          try (var s = c.prepareStatement("SELECT count(*) FROM webhook_attempts");
              var rows = s.executeQuery()) {
            rows.next();
            return rows.getLong(1);
          }
        });
  }

  @Test
  void shouldDeleteOnlyFinishedDeliveriesPastTheRetentionWithTheirAttempts() {
    Instant old = NOW.minus(RETENTION).minusSeconds(1);
    Instant recent = NOW.minus(RETENTION).plusSeconds(60);
    String oldSucceeded = delivery("succeeded", old);
    String oldDead = delivery("dead", old);
    String oldPending = delivery("pending", old);
    String oldFailed = delivery("failed", old);
    String recentSucceeded = delivery("succeeded", recent);
    List<String> manyOld = new ArrayList<>();
    for (int i = 0; i < DeliveryPurge.BATCH_SIZE + 5; i++) {
      manyOld.add(delivery("succeeded", old));
    }
    DeliveryPurge purge = new DeliveryPurge(database, RETENTION, Clock.fixed(NOW, ZoneOffset.UTC));

    int deleted = purge.purgeOnce();

    assertThat(deleted).isEqualTo(2 + manyOld.size());
    assertThat(remaining())
        .containsExactlyInAnyOrder(oldPending, oldFailed, recentSucceeded)
        .doesNotContain(oldSucceeded, oldDead);
    assertThat(attemptRows()).as("attempts go with their delivery").isEqualTo(3);
    assertThat(purge.purgeOnce()).as("nothing left to delete").isZero();
  }
}
