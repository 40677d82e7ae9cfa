package io.sluice.jobapi.watch.internal;

import io.sluice.jobapi.job.Job;
import io.sluice.jobapi.job.JobChangedListener;
import io.sluice.jobapi.store.DatabaseException;
import io.sluice.jobapi.store.Transaction;
import java.sql.PreparedStatement;
import java.sql.SQLException;

/**
 * Announces a job's status change to every instance's {@link ChangeListener}: {@code NOTIFY} in the
 * projection's transaction, so it is delivered exactly when the change is committed (and never for
 * a rolled-back one). The payload is the job ID only.
 */
public final class ChangeNotifier implements JobChangedListener {
  static final String CHANNEL = "sluice_job_changes";

  @Override
  public void changed(Transaction tx, Job job) {
    try (PreparedStatement notify =
        tx.connection().prepareStatement("SELECT pg_notify('" + CHANNEL + "', ?)")) {
      notify.setString(1, job.id());
      notify.execute();
    } catch (SQLException e) {
      throw new DatabaseException(e);
    }
  }
}
