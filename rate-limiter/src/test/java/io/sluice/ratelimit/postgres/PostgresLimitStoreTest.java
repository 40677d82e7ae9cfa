package io.sluice.ratelimit.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import io.sluice.ratelimit.LimitKey;
import io.sluice.ratelimit.LimitState;
import io.sluice.ratelimit.LimitStore;
import io.sluice.ratelimit.LimitStoreContract;
import io.sluice.ratelimit.Step;
import io.sluice.ratelimit.StoreUnavailableException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PostgresLimitStoreTest extends LimitStoreContract {
  private static HikariDataSource pool;
  private static PostgresLimitStore store;

  @BeforeAll
  static void startDatabase() {
    pool = PostgresTestDatabase.newMigratedPool(6);
    // The contract's concurrent updates of one key wait for each other: generous timeouts, so a
    // loaded CI machine is slow, not failing. The stuck-lock test below uses its own short ones.
    store = new PostgresLimitStore(pool, Duration.ofSeconds(2), Duration.ofSeconds(5));
  }

  @AfterAll
  static void closePool() {
    pool.close();
  }

  @Override
  protected LimitStore store() {
    return store;
  }

  @Test
  void shouldMigrateTwiceWithoutHarm() {
    store.migrate();

    assertThat(store.read(new LimitKey("openai", "x", "y"))).isEqualTo(LimitState.EMPTY);
  }

  @Test
  void shouldReadARowWrittenBeforeTheQueueAndTheBiasExisted() throws Exception {
    LimitKey key = new LimitKey("openai", "old-row", "model");
    try (Connection connection = pool.getConnection();
        PreparedStatement insert =
            connection.prepareStatement(
                "INSERT INTO rate_limiter.limit_state (limit_key, state) VALUES (?, ?::jsonb)")) {
      insert.setString(1, key.asString());
      insert.setString(
          2,
          "{\"bucket_tats\":{\"TOKENS/60s\":42},\"paused_until\":\"1970-01-01T00:00:00Z\","
              + "\"throttle\":{\"factor\":1.0,\"since\":\"1970-01-01T00:00:00Z\"},"
              + "\"members\":{}}");
      insert.executeUpdate();
    }

    LimitState state = store.read(key);

    assertThat(state.tat("TOKENS/60s")).isEqualTo(42L);
    assertThat(state.waiters()).isEmpty();
    assertThat(state.bias()).isEqualTo(LimitState.EstimateBias.NONE);
  }

  @Test
  void shouldReportAKeyLockedByAStuckTransactionAsUnavailableWithinTheLockTimeout()
      throws Exception {
    LimitKey key = new LimitKey("openai", "stuck", "model");
    PostgresLimitStore impatient =
        new PostgresLimitStore(pool, Duration.ofMillis(200), Duration.ofMillis(500));
    impatient.update(key, state -> Step.of(state));
    try (Connection stuck = pool.getConnection()) {
      stuck.setAutoCommit(false);
      try (PreparedStatement lock =
          stuck.prepareStatement(
              "SELECT state FROM rate_limiter.limit_state WHERE limit_key = ? FOR UPDATE")) {
        lock.setString(1, key.asString());
        lock.executeQuery().close();
      }
      long started = System.nanoTime();

      assertThatThrownBy(() -> impatient.update(key, state -> Step.of(state)))
          .isInstanceOf(StoreUnavailableException.class)
          .hasMessageContaining("55P03");
      assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
      stuck.rollback();
    }
  }
}
