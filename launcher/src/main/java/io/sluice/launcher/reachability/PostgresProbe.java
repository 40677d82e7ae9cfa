package io.sluice.launcher.reachability;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

/**
 * Opens a connection to PostgreSQL and asks whether it is valid, with short timeouts. The message
 * of a failure names the server and the SQL state only (a server's error text can quote data).
 */
final class PostgresProbe implements ReachabilityWatch.Probe {
  private final String jdbcUrl;
  private final String server;
  private final Properties properties = new Properties();
  private final Duration timeout;

  PostgresProbe(String jdbcUrl, String user, String password, Duration timeout) {
    this.jdbcUrl = jdbcUrl;
    this.server = withoutParameters(jdbcUrl);
    this.timeout = timeout;
    String seconds = Long.toString(Math.max(1, timeout.toSeconds()));
    properties.setProperty("user", user);
    properties.setProperty("password", password == null ? "" : password);
    properties.setProperty("connectTimeout", seconds);
    properties.setProperty("loginTimeout", seconds);
    properties.setProperty("socketTimeout", seconds);
    properties.setProperty("ApplicationName", "sluice-reachability");
  }

  @Override
  public void check() throws UnreachableException {
    try (Connection connection = DriverManager.getConnection(jdbcUrl, properties)) {
      if (!connection.isValid((int) Math.max(1, timeout.toSeconds()))) {
        throw new UnreachableException("PostgreSQL at " + server + " did not answer");
      }
    } catch (SQLException e) {
      throw new UnreachableException(
          "PostgreSQL at " + server + " did not answer (SQL state " + e.getSQLState() + ")");
    }
  }

  private static String withoutParameters(String jdbcUrl) {
    int query = jdbcUrl.indexOf('?');
    return query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
  }

  @Override
  public void close() {}
}
