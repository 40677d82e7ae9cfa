package io.sluice.launcher.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.embedded.PostgresEndpoint;
import io.sluice.embedded.TestInfrastructure;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code sluice admin tenants cache TENANT --ttl} on a real PostgreSQL: a tenant's result-cache TTL
 * set, turned off with 0, returned to the deployment's default, shown by {@code show}; a bad value
 * is a usage error (exit 2) naming the option, with nothing changed.
 */
class AdminCacheTtlTest {
  private static PostgresEndpoint db;
  private static Map<String, String> env;

  @BeforeAll
  static void createDatabase() {
    db = TestInfrastructure.newDatabase();
    env =
        Map.of(
            "SLUICE_JDBC_URL", db.jdbcUrl(),
            "SLUICE_JDBC_USER", db.username(),
            "SLUICE_JDBC_PASSWORD", db.password());
  }

  @AfterAll
  static void dropDatabase() {
    db.close();
  }

  private record Admin(int exitCode, String out, String err) {}

  private static Admin admin(String... arguments) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine command = new CommandLine(new AdminCommand(env, Clock.systemUTC()));
    command.setOut(new PrintWriter(out, true));
    command.setErr(new PrintWriter(err, true));
    int exitCode = command.execute(arguments);
    return new Admin(exitCode, out.toString(), err.toString());
  }

  /** The stored TTL in seconds, or -1 for none (the deployment's default). */
  private static long storedTtl(String name) throws SQLException {
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.username(), db.password());
        var statement =
            c.prepareStatement("SELECT cache_ttl_seconds FROM tenants WHERE name = ?")) {
      statement.setString(1, name);
      try (ResultSet row = statement.executeQuery()) {
        row.next();
        long seconds = row.getLong(1);
        return row.wasNull() ? -1 : seconds;
      }
    }
  }

  @Test
  void shouldSetTurnOffAndResetATenantsCacheTtlAndShowIt() throws SQLException {
    assertThat(admin("tenants", "create", "cached").exitCode).isZero();
    assertThat(admin("tenants", "show", "cached").out)
        .contains("result cache TTL the deployment's default");

    Admin set = admin("tenants", "cache", "cached", "--ttl", "2h");

    assertThat(set.exitCode).as(set.err).isZero();
    assertThat(set.out).contains("7200 s");
    assertThat(storedTtl("cached")).isEqualTo(7200);
    assertThat(admin("tenants", "show", "cached").out).contains("result cache TTL 7200 s");

    assertThat(admin("tenants", "cache", "cached", "--ttl", "0").exitCode).isZero();
    assertThat(storedTtl("cached")).isZero();
    assertThat(admin("tenants", "cache", "cached", "--ttl", "P1D").exitCode).isZero();
    assertThat(storedTtl("cached")).isEqualTo(86_400);

    assertThat(admin("tenants", "cache", "cached", "--ttl", "default").exitCode).isZero();
    assertThat(storedTtl("cached")).isEqualTo(-1);
  }

  @Test
  void shouldRefuseABadTtlNamingTheOptionAndChangeNothing() throws SQLException {
    assertThat(admin("tenants", "create", "strict").exitCode).isZero();
    assertThat(admin("tenants", "cache", "strict", "--ttl", "1h").exitCode).isZero();

    for (String bad : new String[] {"soon", "-5m", "5x", "99999d"}) {
      Admin refused = admin("tenants", "cache", "strict", "--ttl", bad);
      assertThat(refused.exitCode).as(bad).isEqualTo(2);
      assertThat(refused.err).as(bad).contains("--ttl");
    }
    assertThat(admin("tenants", "cache", "nobody", "--ttl", "1h").exitCode).isNotZero();
    assertThat(storedTtl("strict")).isEqualTo(3600);
  }
}
