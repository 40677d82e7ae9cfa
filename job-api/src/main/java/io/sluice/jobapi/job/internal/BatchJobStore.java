package io.sluice.jobapi.job.internal;

import io.sluice.jobapi.job.BatchJobs;
import io.sluice.jobapi.job.Job;
import io.sluice.jobapi.outbox.OutboxWriter;
import io.sluice.jobapi.store.Database;
import io.sluice.jobapi.store.Transaction;
import io.sluice.schemas.job.JobStatus;
import io.sluice.schemas.job.SubmittedJob;
import io.sluice.schemas.topic.Topic;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.util.List;

/**
 * {@link BatchJobs} on PostgreSQL: the jobs table through {@link JobRepository}, and the outbox.
 */
public final class BatchJobStore implements BatchJobs {
  private static final int FETCH_SIZE = 1000;

  private final Database database;
  private final JobRepository jobs;
  private final OutboxWriter outbox;
  private final Topic<String, SubmittedJob> submittedTopic;

  public BatchJobStore(
      Database database,
      JobRepository jobs,
      OutboxWriter outbox,
      Topic<String, SubmittedJob> submittedTopic) {
    this.database = database;
    this.jobs = jobs;
    this.outbox = outbox;
    this.submittedTopic = submittedTopic;
  }

  @Override
  public void insertAll(Transaction tx, String batchId, List<Line> lines) {
    try {
      jobs.insertAllInBatch(tx.connection(), batchId, lines);
    } catch (SQLException e) {
      throw new io.sluice.jobapi.store.DatabaseException(e);
    }
    outbox.appendAll(
        tx,
        lines.stream()
            .map(Line::job)
            .map(
                job ->
                    new OutboxWriter.Entry(
                        submittedTopic.name(), job.id(), payloadOf(job), job.createdAt()))
            .toList());
  }

  @Override
  public Totals totals(String batchId) {
    return database.inTransaction(c -> jobs.totalsInBatch(c, batchId));
  }

  @Override
  public List<String> unfinished(String batchId, String afterId, int limit) {
    return database.inTransaction(c -> jobs.unfinishedInBatch(c, batchId, afterId, limit));
  }

  @Override
  public void forEach(String batchId, List<JobStatus> statuses, LineConsumer each)
      throws IOException {
    try {
      database.inTransaction(
          c -> {
            try {
              jobs.forEachInBatch(c, batchId, statuses, FETCH_SIZE, each);
            } catch (IOException e) {
              throw new UncheckedIOException(e);
            }
            return null;
          });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private String payloadOf(Job job) {
    byte[] bytes =
        submittedTopic
            .valueSerde()
            .serializer()
            .serialize(submittedTopic.name(), job.toSubmitted());
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
