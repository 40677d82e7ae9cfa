package io.sluice.jobapi.tenant.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.sluice.embedded.PostgresEndpoint;
import io.sluice.embedded.TestInfrastructure;
import io.sluice.jobapi.store.DataSources;
import io.sluice.jobapi.store.Database;
import io.sluice.jobapi.store.Migrations;
import io.sluice.jobapi.tenant.Authenticator;
import io.sluice.jobapi.tenant.IssuedApiKey;
import io.sluice.jobapi.tenant.Tenant;
import io.sluice.jobapi.tenant.TenantSettings;
import io.sluice.jobapi.tenant.Tenants;
import io.sluice.testing.ManualClock;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The key cache's refresh under load, on a real PostgreSQL. */
class ApiKeyAuthenticatorTest {
  private static PostgresEndpoint postgres;
  private static HikariDataSource pool;

  @BeforeAll
  static void migrate() {
    postgres = TestInfrastructure.newDatabase();
    pool = DataSources.create(postgres.jdbcUrl(), postgres.username(), postgres.password(), 8);
    Migrations.migrate(pool);
  }

  @AfterAll
  static void drop() {
    pool.close();
    postgres.close();
  }

  /**
   * When a busy key's cache entry goes stale, every request arriving until it is read again misses
   * the cache. Each used to read the key on a connection of its own: at a few hundred requests a
   * second that emptied the pool every two seconds and starved the job inserts of connections. The
   * callers now wait for the one read in flight.
   */
  @Test
  void callersMissingTheCacheTogetherShareOneReadOfTheKey() throws Exception {
    ManualClock clock = new ManualClock(Instant.parse("2030-01-01T00:00:00Z"));
    Tenants.Parts parts =
        Tenants.on(new Database(pool), TenantSettings.defaults(), new SecureRandom(), clock);
    Tenant tenant = parts.admin().createTenant("busy");
    IssuedApiKey key = parts.admin().issueKey(tenant.id());
    Authenticator authenticator = parts.authenticator();
    String header = "Bearer " + key.plaintext();
    assertThat(authenticator.tenantOf(header)).isEqualTo(tenant.id());
    clock.advance(TenantSettings.DEFAULT_KEY_CACHE_TTL.plusMillis(1));

    List<Future<String>> callers = new ArrayList<>();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
        Connection locker = pool.getConnection()) {
      locker.setAutoCommit(false);
      try (Statement lock = locker.createStatement()) {
        lock.execute("LOCK TABLE api_keys IN ACCESS EXCLUSIVE MODE");
      }
      for (int i = 0; i < 20; i++) {
        callers.add(threads.submit(() -> authenticator.tenantOf(header)));
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> readsWaitingForTheLock() >= 1);
      // without the shared read, the other callers' reads would queue on the lock within this
      await()
          .during(Duration.ofMillis(500))
          .atMost(Duration.ofSeconds(5))
          .until(() -> readsWaitingForTheLock() == 1);
      locker.commit();
      for (Future<String> caller : callers) {
        assertThat(caller.get()).isEqualTo(tenant.id());
      }
    }
  }

  private static int readsWaitingForTheLock() throws Exception {
    try (Connection c = pool.getConnection();
        Statement s = c.createStatement();
        ResultSet row =
            s.executeQuery(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                    + " AND query ILIKE '%api_keys%' AND pid <> pg_backend_pid()")) {
      row.next();
      return row.getInt(1);
    }
  }
}
