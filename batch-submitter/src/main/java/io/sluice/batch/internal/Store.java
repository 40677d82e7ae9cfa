package io.sluice.batch.internal;

import io.sluice.batch.store.BatchDatabase;
import io.sluice.batch.store.BatchMemberRepository;
import io.sluice.batch.store.PendingItemRepository;
import io.sluice.batch.store.ProviderBatchRepository;

/** The database and its three repositories, as the loops use them. */
record Store(
    BatchDatabase db,
    PendingItemRepository items,
    ProviderBatchRepository batches,
    BatchMemberRepository members) {

  static Store on(BatchDatabase db) {
    return new Store(
        db,
        new PendingItemRepository(),
        new ProviderBatchRepository(),
        new BatchMemberRepository());
  }
}
