package io.sluice.jobapi.bulk.batches;

import io.sluice.jobapi.store.Transaction;

/**
 * Told, inside the transaction that stores it, that a batch ended ({@code completed}, {@code
 * failed}, {@code expired} or {@code cancelled}): webhooks enqueue the batch's event here, so a
 * delivery exists exactly when the end was committed.
 */
@FunctionalInterface
public interface BatchEndedListener {
  BatchEndedListener NONE = (tx, batch, counts) -> {};

  void ended(Transaction tx, Batch batch, RequestCounts counts);
}
