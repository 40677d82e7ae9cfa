package io.sluice.embedded;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EmbeddedPostgresTest {

  @Test
  void shouldStoreAndReadRowsInANewDatabase() throws SQLException {
    try (PostgresEndpoint database = TestInfrastructure.newDatabase();
        Connection connection = connect(database);
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE jobs (id TEXT PRIMARY KEY, status TEXT NOT NULL)");
      statement.execute("INSERT INTO jobs VALUES ('job-1', 'queued'), ('job-2', 'running')");

      assertThat(strings(statement, "SELECT id || ':' || status FROM jobs ORDER BY id"))
          .containsExactly("job-1:queued", "job-2:running");
    }
  }

  @Test
  void shouldGiveEveryNewDatabaseItsOwnEmptySchema() throws SQLException {
    try (PostgresEndpoint first = TestInfrastructure.newDatabase();
        PostgresEndpoint second = TestInfrastructure.newDatabase();
        Connection firstConnection = connect(first);
        Connection secondConnection = connect(second);
        Statement inFirst = firstConnection.createStatement();
        Statement inSecond = secondConnection.createStatement()) {
      inFirst.execute("CREATE TABLE only_here (id INT)");

      assertThat(first.jdbcUrl()).isNotEqualTo(second.jdbcUrl());
      assertThat(strings(inSecond, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"))
          .isEmpty();
    }
  }

  @Test
  void shouldDropANewDatabaseOnClose() throws SQLException {
    PostgresEndpoint server = TestInfrastructure.postgres();
    String name;
    try (PostgresEndpoint database = TestInfrastructure.newDatabase()) {
      name = database.jdbcUrl().substring(database.jdbcUrl().lastIndexOf('/') + 1);
      assertThat(databases(server)).contains(name);
    }

    assertThat(databases(server)).doesNotContain(name);
  }

  static Connection connect(PostgresEndpoint endpoint) throws SQLException {
    return DriverManager.getConnection(
        endpoint.jdbcUrl(), endpoint.username(), endpoint.password());
  }

  static List<String> strings(Statement statement, String query) throws SQLException {
    List<String> values = new ArrayList<>();
    try (ResultSet rows = statement.executeQuery(query)) {
      while (rows.next()) {
        values.add(rows.getString(1));
      }
    }
    return values;
  }

  private static List<String> databases(PostgresEndpoint server) throws SQLException {
    try (Connection connection = connect(server);
        Statement statement = connection.createStatement()) {
      return strings(statement, "SELECT datname FROM pg_database");
    }
  }
}
