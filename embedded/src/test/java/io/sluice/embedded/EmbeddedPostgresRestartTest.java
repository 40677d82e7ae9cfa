package io.sluice.embedded;

import static io.sluice.embedded.EmbeddedPostgresTest.connect;
import static io.sluice.embedded.EmbeddedPostgresTest.strings;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class EmbeddedPostgresRestartTest {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedPostgresRestartTest.class);

  @TempDir Path dataDir;

  @Test
  void shouldKeepTablesAndRowsAcrossARestartOnTheSameDataDir() throws SQLException {
    try (PostgresEndpoint first = timedStart("first");
        Connection connection = connect(first);
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE tenants (name TEXT PRIMARY KEY)");
      statement.execute("INSERT INTO tenants VALUES ('acme'), ('globex')");
    }

    try (PostgresEndpoint second = timedStart("restart");
        Connection connection = connect(second);
        Statement statement = connection.createStatement()) {
      assertThat(strings(statement, "SELECT name FROM tenants ORDER BY name"))
          .containsExactly("acme", "globex");
    }
  }

  private PostgresEndpoint timedStart(String label) {
    long started = System.nanoTime();
    PostgresEndpoint postgres = EmbeddedPostgres.start(new PostgresOptions(dataDir, 0));
    log.info("PostgreSQL {} start took {} ms", label, (System.nanoTime() - started) / 1_000_000);
    return postgres;
  }
}
