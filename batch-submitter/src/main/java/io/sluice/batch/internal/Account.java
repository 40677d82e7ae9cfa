package io.sluice.batch.internal;

import io.sluice.providers.BatchProvider;
import io.sluice.providers.ProviderConfig;
import io.sluice.providers.ProviderKind;
import java.time.Duration;

/** One provider account: its batch adapter and how to find its batches after a crash. */
record Account(ProviderConfig config, BatchProvider batches, BatchDirectory directory)
    implements AutoCloseable {

  static Account of(ProviderConfig config, BatchProvider batches, Duration skew) {
    boolean keepsMetadata = config.kind() != ProviderKind.ANTHROPIC;
    return new Account(config, batches, new ListedBatchDirectory(batches, keepsMetadata, skew));
  }

  String name() {
    return config.name();
  }

  @Override
  public void close() {
    batches.close();
  }
}
