package io.sluice.jobapi.watch.internal;

import io.sluice.jobapi.watch.JobWatch;
import io.sluice.lifecycle.BackgroundLoop;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's one {@code LISTEN} connection: each notification wakes the waiters of its job.
 * When the connection is lost the loop reconnects (with the loop's backoff) and then wakes every
 * waiter, since notifications sent meanwhile are lost; the waiters read their jobs again.
 */
public final class ChangeListener implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ChangeListener.class);
  private static final int POLL_MILLIS = 500;

  private final String jdbcUrl;
  private final String user;
  private final String password;
  private final JobWatch watch;
  private final BackgroundLoop loop;
  private Connection connection; // only on the loop's thread

  public ChangeListener(String jdbcUrl, String user, String password, JobWatch watch) {
    this.jdbcUrl = jdbcUrl;
    this.user = user;
    this.password = password;
    this.watch = watch;
    this.loop =
        new BackgroundLoop(
            "job change listener",
            BackgroundLoop.Settings.idleWait(Duration.ofMillis(POLL_MILLIS)),
            this::step);
  }

  public ChangeListener start() {
    loop.start();
    return this;
  }

  private BackgroundLoop.Next step() throws SQLException {
    try {
      if (connection == null) {
        connect();
      }
      PGNotification[] notifications =
          connection.unwrap(PGConnection.class).getNotifications(POLL_MILLIS);
      if (notifications != null) {
        for (PGNotification notification : notifications) {
          watch.changed(notification.getParameter());
        }
      }
      return BackgroundLoop.Next.MORE; // getNotifications itself waits up to POLL_MILLIS
    } catch (SQLException e) {
      closeConnection();
      throw e;
    }
  }

  private void connect() throws SQLException {
    connection = DriverManager.getConnection(jdbcUrl, user, password);
    try (Statement listen = connection.createStatement()) {
      listen.execute("LISTEN " + ChangeNotifier.CHANNEL);
    }
    LOG.info("listening for job changes; waking every waiter to read its job again");
    watch.changedAll();
  }

  private void closeConnection() {
    if (connection == null) {
      return;
    }
    try {
      connection.close();
    } catch (SQLException e) {
      LOG.debug("closing the job change listener's connection failed: {}", e.getMessage());
    }
    connection = null;
  }

  /** Stops the loop after the wait under way, then closes the connection. */
  @Override
  public void close() {
    loop.close();
    closeConnection();
  }
}
