package io.sluice.embedded.internal;

import io.sluice.embedded.PostgresEndpoint;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates and drops databases on a shared PostgreSQL server. */
public final class Databases {

  private static final Logger log = LoggerFactory.getLogger(Databases.class);
  private static final Pattern SAFE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");
  private static final Pattern URL_DATABASE =
      Pattern.compile("^(jdbc:postgresql://[^/?]*)(/[^?]*)?(\\?.*)?$");

  private Databases() {}

  /** Creates an empty database; the returned endpoint drops it on close. */
  public static PostgresEndpoint create(PostgresEndpoint server, String name) {
    requireSafe(name);
    execute(server, "CREATE DATABASE " + name);
    return new CreatedDatabase(server, name, withDatabase(server.jdbcUrl(), name));
  }

  static String withDatabase(String jdbcUrl, String database) {
    Matcher matcher = URL_DATABASE.matcher(jdbcUrl);
    if (!matcher.matches()) {
      throw new IllegalArgumentException("Not a PostgreSQL JDBC URL: " + jdbcUrl);
    }
    String parameters = matcher.group(3) == null ? "" : matcher.group(3);
    return matcher.group(1) + "/" + database + parameters;
  }

  private static void requireSafe(String name) {
    if (!SAFE_NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("Unsafe database name: " + name);
    }
  }

  private static void execute(PostgresEndpoint server, String sql) {
    try (Connection connection =
            DriverManager.getConnection(server.jdbcUrl(), server.username(), server.password());
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException("Could not run '" + sql + "' on " + server.jdbcUrl(), e);
    }
  }

  private record CreatedDatabase(PostgresEndpoint server, String name, String jdbcUrl)
      implements PostgresEndpoint {

    @Override
    public String username() {
      return server.username();
    }

    @Override
    public String password() {
      return server.password();
    }

    /** Drops the database, ending sessions still connected to it. */
    @Override
    public void close() {
      try {
        execute(server, "DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      } catch (IllegalStateException e) {
        log.warn("Could not drop test database {}; it stays until the server goes", name, e);
      }
    }
  }
}
