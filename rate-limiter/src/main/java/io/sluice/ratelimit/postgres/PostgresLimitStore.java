package io.sluice.ratelimit.postgres;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.ratelimit.LimitKey;
import io.sluice.ratelimit.LimitState;
import io.sluice.ratelimit.LimitStore;
import io.sluice.ratelimit.Step;
import io.sluice.ratelimit.StoreUnavailableException;
import io.sluice.schemas.json.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Function;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The shared limit state in PostgreSQL: one row per key in {@code rate_limiter.limit_state}, its
 * state a small JSON document. Each update is one short transaction: {@code SELECT ... FOR UPDATE},
 * the pure step in Java, {@code UPDATE}, commit; so every instance sees every other's charges and
 * none can overshoot.
 *
 * <p>Transactions set {@code lock_timeout} and {@code statement_timeout} so that a slow or blocked
 * database turns into a {@link StoreUnavailableException} within a bounded time (the limiter then
 * falls back to its local share), and {@code synchronous_commit = off}: a database crash may lose
 * the last few hundred milliseconds of limiter updates, which at worst lets through that much
 * traffic again after the crash, in exchange for not waiting for a WAL flush per admission. The
 * {@link DataSource} should be a pool with a short connection timeout (e.g. 250 ms) and a socket
 * timeout, so that an unreachable server fails fast too.
 *
 * <p>The table is created by {@link #migrate()} (Flyway, history in {@code
 * rate_limiter.flyway_schema_history}); call it once at start-up of each process, it is idempotent.
 */
public final class PostgresLimitStore implements LimitStore {
  /** The schema that holds the limiter's tables. */
  public static final String SCHEMA = "rate_limiter";

  private static final String SELECT_FOR_UPDATE =
      "SELECT state FROM rate_limiter.limit_state WHERE limit_key = ? FOR UPDATE";
  private static final String SELECT =
      "SELECT state FROM rate_limiter.limit_state WHERE limit_key = ?";
  private static final String SELECT_ALL =
      "SELECT limit_key, state FROM rate_limiter.limit_state ORDER BY limit_key";
  private static final String INSERT_MISSING =
      "INSERT INTO rate_limiter.limit_state (limit_key, state) VALUES (?, ?::jsonb)"
          + " ON CONFLICT (limit_key) DO NOTHING";
  private static final String UPDATE =
      "UPDATE rate_limiter.limit_state SET state = ?::jsonb, updated_at = now() WHERE limit_key = ?";

  private final DataSource dataSource;
  private final String transactionSettings;
  private final ObjectMapper json = Json.mapper();
  private final String emptyState;

  /**
   * A store with a 500 ms lock timeout and a 1 s statement timeout: a database busy with a start-up
   * burst of three cold processes on two cores is slow, not gone, and the fallback it would
   * otherwise trigger admits nothing for seconds.
   */
  public PostgresLimitStore(DataSource dataSource) {
    this(dataSource, Duration.ofMillis(500), Duration.ofSeconds(1));
  }

  /**
   * @param lockTimeout how long an update waits for another instance's update of the same key
   * @param statementTimeout how long one statement may take
   */
  public PostgresLimitStore(
      DataSource dataSource, Duration lockTimeout, Duration statementTimeout) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
    this.transactionSettings =
        "SET LOCAL lock_timeout = '"
            + lockTimeout.toMillis()
            + "ms'; SET LOCAL statement_timeout = '"
            + statementTimeout.toMillis()
            + "ms'; SET LOCAL synchronous_commit = off";
    // the first write and read of a state are slow in a cold process: not while a row is locked
    this.emptyState = write(LimitState.EMPTY);
    parse(emptyState);
  }

  /** Creates or upgrades the limiter's tables in schema {@value #SCHEMA}. */
  public void migrate() {
    Flyway.configure()
        .dataSource(dataSource)
        .schemas(SCHEMA)
        .defaultSchema(SCHEMA)
        .createSchemas(true)
        .locations("classpath:io/sluice/ratelimit/postgres/migration")
        .load()
        .migrate();
  }

  @Override
  public <T> Step<T> update(LimitKey key, Function<LimitState, Step<T>> change) {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        Optional<Step<T>> step = updateInTransaction(connection, key, change);
        if (step.isEmpty()) {
          connection.rollback();
          createRow(connection, key);
          step = updateInTransaction(connection, key, change);
        }
        connection.commit();
        return step.orElseThrow(() -> new SQLException("row of " + key + " vanished"));
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw unavailable(key, "update", e);
    }
  }

  /**
   * Inserts a key's first row in a transaction of its own, which holds the row for no more than the
   * insert: instances that start together all try it at once, and inserted inside the update's
   * transaction the row stayed locked through a cold process's first update while the others'
   * inserts waited for it — past the lock timeout, which sent one of three workers started together
   * into its local fallback in five of six benchmark runs.
   */
  private void createRow(Connection connection, LimitKey key) throws SQLException {
    try (Statement settings = connection.createStatement()) {
      settings.execute(transactionSettings);
    }
    try (PreparedStatement insert = connection.prepareStatement(INSERT_MISSING)) {
      insert.setString(1, key.asString());
      insert.setString(2, emptyState);
      insert.executeUpdate();
    }
    connection.commit();
  }

  @Override
  public LimitState read(LimitKey key) {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select = connection.prepareStatement(SELECT)) {
      if (!connection.getAutoCommit()) {
        connection.setAutoCommit(true);
      }
      select.setQueryTimeout(1);
      select.setString(1, key.asString());
      return readState(select).orElse(LimitState.EMPTY);
    } catch (SQLException e) {
      throw unavailable(key, "read", e);
    }
  }

  /**
   * Every key's state, for dashboards: one read of the whole (small: one row per provider account
   * and model) table, without locks.
   *
   * @throws StoreUnavailableException when the table cannot be read (e.g. not created yet: no
   *     worker of this database has limits)
   */
  public Map<LimitKey, LimitState> readAll() {
    try (Connection connection = dataSource.getConnection();
        Statement select = connection.createStatement()) {
      if (!connection.getAutoCommit()) {
        connection.setAutoCommit(true);
      }
      select.setQueryTimeout(1);
      Map<LimitKey, LimitState> states = new TreeMap<>(Comparator.comparing(LimitKey::asString));
      try (ResultSet rows = select.executeQuery(SELECT_ALL)) {
        while (rows.next()) {
          states.put(LimitKey.parse(rows.getString(1)), parse(rows.getString(2)));
        }
      }
      return states;
    } catch (SQLException e) {
      throw new StoreUnavailableException(
          null, "PostgreSQL read of every limit failed (SQL state " + e.getSQLState() + ")", e);
    }
  }

  @Override
  public void ping() {
    try (Connection connection = dataSource.getConnection();
        Statement statement = connection.createStatement()) {
      statement.setQueryTimeout(1);
      statement.execute("SELECT 1");
    } catch (SQLException e) {
      throw new StoreUnavailableException(null, "PostgreSQL ping failed: " + e.getMessage(), e);
    }
  }

  /** Applies {@code change} to the key's locked row; empty, changing nothing, if it has none. */
  private <T> Optional<Step<T>> updateInTransaction(
      Connection connection, LimitKey key, Function<LimitState, Step<T>> change)
      throws SQLException {
    try (Statement settings = connection.createStatement()) {
      settings.execute(transactionSettings);
    }
    Optional<LimitState> current = lockRow(connection, key);
    if (current.isEmpty()) {
      return Optional.empty();
    }
    Step<T> step = change.apply(current.get());
    if (!step.next().equals(current.get())) {
      try (PreparedStatement update = connection.prepareStatement(UPDATE)) {
        update.setString(1, write(step.next()));
        update.setString(2, key.asString());
        update.executeUpdate();
      }
    }
    return Optional.of(step);
  }

  /** The key's state, its row locked until the transaction ends; empty if it has no row yet. */
  private Optional<LimitState> lockRow(Connection connection, LimitKey key) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(SELECT_FOR_UPDATE)) {
      select.setString(1, key.asString());
      return readState(select);
    }
  }

  private Optional<LimitState> readState(PreparedStatement select) throws SQLException {
    try (ResultSet rows = select.executeQuery()) {
      return rows.next() ? Optional.of(parse(rows.getString(1))) : Optional.empty();
    }
  }

  private LimitState parse(String text) {
    try {
      return json.readValue(text, LimitState.class);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("unreadable rate-limit state in PostgreSQL: " + text, e);
    }
  }

  private String write(LimitState state) {
    try {
      return json.writeValueAsString(state);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write rate-limit state " + state, e);
    }
  }

  private static StoreUnavailableException unavailable(LimitKey key, String what, SQLException e) {
    return new StoreUnavailableException(
        key.asString(),
        "PostgreSQL " + what + " failed (SQL state " + e.getSQLState() + "): " + e.getMessage(),
        e);
  }
}
