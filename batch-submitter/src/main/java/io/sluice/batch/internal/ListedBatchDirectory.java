package io.sluice.batch.internal;

import io.sluice.batch.plan.BatchIds;
import io.sluice.batch.store.StoredBatch;
import io.sluice.providers.BatchItemResult;
import io.sluice.providers.BatchProvider;
import io.sluice.providers.BatchStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * Finds a batch in the provider's list ({@link BatchProvider#list}) back to a little before the
 * submit was attempted.
 *
 * <p>OpenAI keeps Sluice's batch ID in each batch's metadata ({@value BatchIds#METADATA_KEY}): the
 * batch carrying it is ours, and none means the create never arrived. Anthropic's message batches
 * carry no metadata, so a batch is recognised by its lines: every {@code custom_id} starts with
 * Sluice's batch ID. The candidates are the batches not adopted by another Sluice batch with
 * exactly as many requests; an ended candidate is checked by its results, and while a candidate has
 * not ended the answer is {@link Lookup.Undecided} (never a second submit that might duplicate it).
 */
final class ListedBatchDirectory implements BatchDirectory {
  private final BatchProvider batches;
  private final boolean keepsMetadata;
  private final Duration skew;

  /**
   * @param keepsMetadata whether the provider stores a batch's metadata (OpenAI)
   * @param skew how far before the submit the list is read (clock skew)
   */
  ListedBatchDirectory(BatchProvider batches, boolean keepsMetadata, Duration skew) {
    this.batches = batches;
    this.keepsMetadata = keepsMetadata;
    this.skew = skew;
  }

  @Override
  public Lookup find(StoredBatch batch, Set<String> adopted) {
    Instant since = batch.submittingAt().minus(skew);
    boolean undecided = false;
    for (BatchStatus listed : batches.list(since)) {
      if (batch.batchId().equals(listed.metadata().get(BatchIds.METADATA_KEY))) {
        return new Lookup.Found(listed.batchId());
      }
      if (keepsMetadata || !isCandidate(listed, batch, adopted)) {
        continue;
      }
      if (!listed.isTerminal()) {
        undecided = true;
      } else if (ours(listed.batchId(), batch.batchId())) {
        return new Lookup.Found(listed.batchId());
      }
    }
    return undecided
        ? new Lookup.Undecided("a provider batch of the same size has not ended yet")
        : new Lookup.NotFound();
  }

  private static boolean isCandidate(BatchStatus listed, StoredBatch batch, Set<String> adopted) {
    return !adopted.contains(listed.batchId())
        && listed.counts() != null
        && listed.counts().total() == batch.lineCount();
  }

  private boolean ours(String providerBatchId, String batchId) {
    return batches.results(providerBatchId).stream()
        .map(BatchItemResult::customId)
        .anyMatch(customId -> BatchIds.belongsTo(customId, batchId));
  }
}
