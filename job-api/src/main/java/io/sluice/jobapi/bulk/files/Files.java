package io.sluice.jobapi.bulk.files;

import io.sluice.jobapi.bulk.BulkIds;
import io.sluice.jobapi.bulk.files.internal.FileStore;
import io.sluice.jobapi.store.Database;
import java.time.Clock;

/** The files feature's parts on PostgreSQL, for job-api's composition root. */
public final class Files {
  private Files() {}

  /** Uploads up to {@code maxFileBytes}; produced files are written by {@code produced}. */
  public static BulkFiles on(
      Database database, BulkIds ids, long maxFileBytes, ProducedContent produced, Clock clock) {
    return new FileStore(database, ids, maxFileBytes, produced, clock);
  }
}
