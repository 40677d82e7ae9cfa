package io.sluice.batch.internal;

import io.sluice.batch.store.StoredBatch;
import java.util.Set;

/**
 * Finds, among a provider's recent batches, the one a {@code SUBMITTING} Sluice batch created, if
 * any: the answer to "did the provider get our create call before we crashed?" ({@link
 * ListedBatchDirectory}, on {@code BatchProvider.list}).
 */
interface BatchDirectory {

  /**
   * @param batch a batch in {@code SUBMITTING}
   * @param adopted provider batch IDs that other Sluice batches already own
   */
  Lookup find(StoredBatch batch, Set<String> adopted);

  /** What the provider's list says. */
  sealed interface Lookup {
    /** The provider has the batch: adopt this ID. */
    record Found(String providerBatchId) implements Lookup {}

    /** The provider provably has no such batch: submitting again creates no duplicate. */
    record NotFound() implements Lookup {}

    /** A candidate exists that cannot be told apart yet (Anthropic, not ended): ask later. */
    record Undecided(String why) implements Lookup {}
  }
}
