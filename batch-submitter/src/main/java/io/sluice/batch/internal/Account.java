package io.sluice.batch.internal;

import io.sluice.batch.plan.QueueLimits;
import io.sluice.providers.BatchProvider;
import io.sluice.providers.ProviderConfig;
import io.sluice.providers.ProviderKind;
import java.time.Duration;

/**
 * One provider account: its batch adapter, how to find its batches after a crash, and the limits of
 * its batch queue.
 */
record Account(
    ProviderConfig config, BatchProvider batches, BatchDirectory directory, QueueLimits queueLimits)
    implements AutoCloseable {

  static Account of(
      ProviderConfig config, BatchProvider batches, Duration skew, QueueLimits queueLimits) {
    boolean keepsMetadata = config.kind() != ProviderKind.ANTHROPIC;
    return new Account(
        config, batches, new ListedBatchDirectory(batches, keepsMetadata, skew), queueLimits);
  }

  String name() {
    return config.name();
  }

  @Override
  public void close() {
    batches.close();
  }
}
