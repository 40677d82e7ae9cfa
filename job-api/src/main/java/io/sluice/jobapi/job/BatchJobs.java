package io.sluice.jobapi.job;

import io.sluice.jobapi.store.Transaction;
import io.sluice.schemas.job.JobStatus;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * The jobs of bulk batches: each line of a batch's input file is an ordinary job, linked to its
 * batch and carrying the line's {@code custom_id}. What the bulk feature reads and writes of the
 * {@code jobs} table, so that all SQL on that table stays in the job feature.
 */
public interface BatchJobs {

  /** A line's job and the line's {@code custom_id}. */
  record Line(String customId, Job job) {}

  /** Receives jobs one at a time while they are read. */
  @FunctionalInterface
  interface LineConsumer {
    void accept(Line line) throws IOException;
  }

  /**
   * Inserts these new jobs of a batch and their {@code sluice.jobs.submitted} outbox records in the
   * caller's transaction, one multi-row statement per table.
   */
  void insertAll(Transaction tx, String batchId, List<Line> lines);

  /** How many of a batch's jobs are in each status (none: absent), and their cost so far. */
  record Totals(Map<JobStatus, Long> byStatus, java.math.BigDecimal costUsd) {}

  Totals totals(String batchId);

  /**
   * Up to {@code limit} IDs after {@code afterId} ("" for the first) of the batch's unended jobs.
   */
  List<String> unfinished(String batchId, String afterId, int limit);

  /**
   * Hands each of the batch's jobs in one of {@code statuses} to {@code each}, read through a
   * database cursor: memory does not grow with the batch.
   */
  void forEach(String batchId, List<JobStatus> statuses, LineConsumer each) throws IOException;
}
