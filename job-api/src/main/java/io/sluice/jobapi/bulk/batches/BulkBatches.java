package io.sluice.jobapi.bulk.batches;

import java.util.Optional;

/** The batches of {@code /v1/batches}; every read is of the tenant's own batches only. */
public interface BulkBatches {
  int MAX_LIMIT = 100;

  /**
   * Creates a batch from an uploaded input file and answers at once with it {@code validating}, as
   * OpenAI does; its lines are taken in behind the answer. Then either every line is a committed
   * job and the batch is {@code in_progress}, or (a file with bad lines, a batch over the tenant's
   * token budget) it ends {@code failed} with {@code errors} naming the lines and no job.
   *
   * @throws io.sluice.jobapi.job.InvalidJobRequestException a bad body or input file, naming the
   *     field
   */
  BatchView create(String tenantId, byte[] body);

  Optional<BatchView> find(String tenantId, String batchId);

  BatchPage list(String tenantId, String after, int limit);

  /**
   * Asks for the batch to be cancelled: its unfinished jobs are cancelled and it ends {@code
   * cancelled} once every job has ended; empty when there is no such batch of the tenant.
   */
  Optional<BatchView> cancel(String tenantId, String batchId);
}
