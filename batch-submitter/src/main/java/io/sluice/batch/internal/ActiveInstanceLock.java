package io.sluice.batch.internal;

import io.sluice.batch.BatchSubmitterSettings;
import io.sluice.batch.store.StoreUnavailableException;
import io.sluice.lifecycle.BackgroundLoop;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes one batch-submitter per database the active one: the submitter, poller and publisher run
 * only while this instance holds a PostgreSQL session advisory lock; other instances take in
 * deferred tasks (inserts are idempotent) and stand by. A killed instance's session ends with its
 * connection, so a standby takes over within one tick.
 */
final class ActiveInstanceLock implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ActiveInstanceLock.class);
  private static final long KEY = 0x511CEBA7C4L;

  private final BatchSubmitterSettings.Jdbc jdbc;
  private Connection session;
  private boolean standbyLogged;

  /** The lock lives in a session of its own, outside the pool: closing it must end the session. */
  ActiveInstanceLock(BatchSubmitterSettings.Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  /** A step that runs only while this instance is the active one. */
  BackgroundLoop.Step gate(BackgroundLoop.Step step) {
    return () -> held() ? step.run() : BackgroundLoop.Next.IDLE;
  }

  /** Whether this instance holds the lock, taking it if it is free. */
  synchronized boolean held() {
    try {
      if (session != null && session.isValid(2)) {
        return true;
      }
      closeSession();
      session = DriverManager.getConnection(jdbc.url(), jdbc.username(), jdbc.password());
      session.setAutoCommit(true);
      if (tryLock(session)) {
        LOG.info("this batch-submitter is now the active one for its database");
        standbyLogged = false;
        return true;
      }
      closeSession();
      if (!standbyLogged) {
        LOG.info("another batch-submitter is active on this database; standing by");
        standbyLogged = true;
      }
      return false;
    } catch (SQLException e) {
      closeSession();
      throw new StoreUnavailableException(
          "PostgreSQL failed to take the active-instance lock (SQL state " + e.getSQLState() + ")",
          e);
    }
  }

  private static boolean tryLock(Connection connection) throws SQLException {
    try (PreparedStatement lock = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
      lock.setLong(1, KEY);
      try (ResultSet row = lock.executeQuery()) {
        return row.next() && row.getBoolean(1);
      }
    }
  }

  private void closeSession() {
    if (session != null) {
      try {
        session.close();
      } catch (SQLException ignored) {
        // the session is gone; so is its lock
      }
      session = null;
    }
  }

  /** Ends the session, which releases the lock. */
  @Override
  public synchronized void close() {
    closeSession();
  }
}
