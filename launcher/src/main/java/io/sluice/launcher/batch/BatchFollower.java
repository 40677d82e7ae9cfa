package io.sluice.launcher.batch;

import java.time.Duration;

/** Reads a batch until it ends, showing each reading. */
final class BatchFollower {
  private BatchFollower() {}

  static BatchSnapshot follow(
      BatchApi api, BatchSnapshot first, Duration pollInterval, BatchProgress progress) {
    BatchSnapshot batch = first;
    progress.show(batch);
    try {
      while (!batch.ended()) {
        Thread.sleep(pollInterval);
        batch = BatchSnapshot.of(api.batch(batch.id()));
        progress.show(batch);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while following " + batch.id(), e);
    } finally {
      progress.finish();
    }
    return batch;
  }
}
