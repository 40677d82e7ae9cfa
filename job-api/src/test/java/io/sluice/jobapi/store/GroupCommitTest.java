package io.sluice.jobapi.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import io.sluice.embedded.PostgresEndpoint;
import io.sluice.embedded.TestInfrastructure;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Group commit on a real PostgreSQL. A test holds a lock on the table so that the committer's first
 * transaction waits: the callers arriving meanwhile queue up and go in the next transaction
 * together, which makes the batches deterministic.
 */
class GroupCommitTest {
  private static PostgresEndpoint postgres;
  private static HikariDataSource pool;
  private static Database database;
  private final List<Integer> batchSizes = new CopyOnWriteArrayList<>();
  private final ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor();
  private GroupCommit<String, String> group;

  @BeforeAll
  static void createTable() {
    postgres = TestInfrastructure.newDatabase();
    pool = DataSources.create(postgres.jdbcUrl(), postgres.username(), postgres.password(), 4);
    database = new Database(pool);
    database.inTransaction(
        c -> {
          try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE items (id text PRIMARY KEY)");
          }
          return null;
        });
  }

  @AfterAll
  static void drop() {
    pool.close();
    postgres.close();
  }

  @BeforeEach
  void start() {
    database.inTransaction(c -> c.createStatement().executeUpdate("DELETE FROM items"));
    group = new GroupCommit<>("test", database, this::insert, new GroupCommit.Settings(1, 64, 64));
  }

  @AfterEach
  void stop() {
    group.close();
    callers.close();
  }

  private List<String> insert(Connection connection, List<String> ids) throws SQLException {
    batchSizes.add(ids.size());
    try (PreparedStatement s = connection.prepareStatement("INSERT INTO items (id) VALUES (?)")) {
      for (String id : ids) {
        s.setString(1, id);
        s.addBatch();
      }
      s.executeBatch();
    }
    return ids.stream().map(id -> "stored " + id).toList();
  }

  @Test
  void callersArrivingTogetherShareOneTransactionAndEachIsAnsweredAfterItsRowIsCommitted()
      throws Exception {
    List<Future<Boolean>> answers = new ArrayList<>();
    try (TableLock lock = TableLock.take()) {
      answers.add(callers.submit(() -> commitAndSee("first")));
      awaitCommitterBlocked();
      for (int i = 0; i < 40; i++) {
        String id = "item-" + i;
        answers.add(callers.submit(() -> commitAndSee(id)));
      }
      await().atMost(Duration.ofSeconds(10)).until(() -> group.waiting() == 40);
    }
    for (Future<Boolean> answer : answers) {
      assertThat(answer.get()).as("the caller's row was visible when it was answered").isTrue();
    }
    assertThat(count()).isEqualTo(41);
    assertThat(batchSizes).containsExactly(1, 40);
  }

  /** Commits through the group and, once answered, reads the row on another connection. */
  private boolean commitAndSee(String id) throws SQLException {
    assertThat(group.commit(id)).isEqualTo("stored " + id);
    try (Connection c = pool.getConnection();
        PreparedStatement s = c.prepareStatement("SELECT count(*) FROM items WHERE id = ?")) {
      s.setString(1, id);
      try (ResultSet row = s.executeQuery()) {
        row.next();
        return row.getInt(1) == 1;
      }
    }
  }

  @Test
  void anItemTheDatabaseRefusesFailsAloneAndTheRestOfItsBatchIsCommitted() throws Exception {
    database.inTransaction(
        c -> c.createStatement().executeUpdate("INSERT INTO items VALUES ('x')"));
    List<Future<String>> answers = new ArrayList<>();
    Future<String> duplicate;
    try (TableLock lock = TableLock.take()) {
      answers.add(callers.submit(() -> group.commit("a")));
      awaitCommitterBlocked();
      answers.add(callers.submit(() -> group.commit("b")));
      await().until(() -> group.waiting() == 1);
      duplicate = callers.submit(() -> group.commit("x"));
      await().until(() -> group.waiting() == 2);
      answers.add(callers.submit(() -> group.commit("c")));
      await().until(() -> group.waiting() == 3);
    }
    for (Future<String> answer : answers) {
      assertThat(answer.get()).startsWith("stored ");
    }
    assertThatThrownBy(duplicate::get)
        .cause()
        .isInstanceOfSatisfying(
            DatabaseException.class, e -> assertThat(e.sqlState()).isEqualTo("23505"));
    assertThat(count()).isEqualTo(4);
    assertThat(batchSizes).as("the batch of three, then each alone").containsExactly(1, 3, 1, 1, 1);
  }

  @Test
  void closeCommitsWhatIsQueuedAndRefusesWhatComesAfter() throws Exception {
    List<Future<String>> queued = new ArrayList<>();
    CompletableFuture<Void> closing;
    try (TableLock lock = TableLock.take()) {
      queued.add(callers.submit(() -> group.commit("first")));
      awaitCommitterBlocked();
      for (int i = 0; i < 5; i++) {
        String id = "queued-" + i;
        queued.add(callers.submit(() -> group.commit(id)));
      }
      await().until(() -> group.waiting() == 5);
      closing = CompletableFuture.runAsync(group::close, callers);
      await().until(group::isClosed);
      assertThatThrownBy(() -> group.commit("late"))
          .isInstanceOf(GroupCommitClosedException.class)
          .hasMessageContaining("nothing was stored");
    }
    closing.get();
    for (Future<String> answer : queued) {
      assertThat(answer.get()).startsWith("stored ");
    }
    assertThat(count()).isEqualTo(6);
  }

  @Test
  void aDatabaseThatIsGoneFailsEachCallerWithADatabaseException() {
    HikariDataSource closedPool =
        DataSources.create(postgres.jdbcUrl(), postgres.username(), postgres.password(), 1);
    closedPool.close();
    try (GroupCommit<String, String> broken =
        new GroupCommit<>(
            "broken", new Database(closedPool), this::insert, GroupCommit.Settings.DEFAULT)) {
      assertThatThrownBy(() -> broken.commit("lost")).isInstanceOf(DatabaseException.class);
    }
  }

  @Test
  void settingsThatCannotWorkAreRefused() {
    assertThatThrownBy(() -> new GroupCommit.Settings(0, 10, 10))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new GroupCommit.Settings(1, 0, 10))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new GroupCommit.Settings(1, 10, 5))
        .isInstanceOf(IllegalArgumentException.class);
  }

  private static void awaitCommitterBlocked() {
    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                database.inTransaction(
                    c -> {
                      try (ResultSet row =
                          c.createStatement()
                              .executeQuery(
                                  "SELECT count(*) FROM pg_stat_activity"
                                      + " WHERE wait_event_type = 'Lock'"
                                      + " AND query LIKE 'INSERT INTO items%'")) {
                        row.next();
                        return row.getInt(1) == 1;
                      }
                    }));
  }

  private static int count() {
    return database.inTransaction(
        c -> {
          try (ResultSet row = c.createStatement().executeQuery("SELECT count(*) FROM items")) {
            row.next();
            return row.getInt(1);
          }
        });
  }

  /** An exclusive lock on the table, held by a transaction of its own until closed. */
  private record TableLock(Connection connection) implements AutoCloseable {
    static TableLock take() throws SQLException {
      Connection connection = pool.getConnection();
      connection.setAutoCommit(false);
      try (Statement s = connection.createStatement()) {
        s.execute("LOCK TABLE items IN EXCLUSIVE MODE");
      }
      return new TableLock(connection);
    }

    @Override
    public void close() throws SQLException {
      connection.commit();
      connection.close();
    }
  }
}
