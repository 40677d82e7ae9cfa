package io.sluice.batch;

import io.sluice.batch.internal.DeferredLane;
import io.sluice.lifecycle.Lifecycle;

/**
 * The deferred lane: reads {@code sluice.tasks.<provider>.deferred}, keeps every task durably in
 * PostgreSQL, groups them per provider account and model into provider batches (OpenAI Batch API,
 * Anthropic Message Batches), polls them, and publishes each task's result at the batch price to
 * {@code sluice.task-results}. Restarting on the same database resumes every batch where it was.
 *
 * <pre>{@code
 * try (BatchSubmitter submitter = BatchSubmitter.start(settings)) { ... }
 * }</pre>
 */
public final class BatchSubmitter implements AutoCloseable {
  private final Lifecycle lifecycle;

  private BatchSubmitter(Lifecycle lifecycle) {
    this.lifecycle = lifecycle;
  }

  /**
   * Migrates the schema, creates missing topics, and starts the intake, submitter, poller and
   * publisher loops.
   *
   * @throws RuntimeException when Kafka or PostgreSQL cannot be reached at start
   */
  public static BatchSubmitter start(BatchSubmitterSettings settings) {
    return new BatchSubmitter(DeferredLane.start(settings));
  }

  /** Stops the intake first, then the loops, then the clients and the pool. */
  @Override
  public void close() {
    lifecycle.close();
  }
}
