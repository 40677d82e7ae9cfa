package io.sluice.batch.store;

import io.sluice.batch.plan.BatchPhase;
import io.sluice.batch.plan.GroupKey;
import java.time.Instant;

/**
 * One of Sluice's provider batches as recorded.
 *
 * @param batchId Sluice's ID
 * @param group its provider and model
 * @param lineCount its lines
 * @param phase where it is
 * @param providerBatchId the provider's ID, once known
 * @param plannedAt when it was planned
 * @param submittingAt when the provider call was last about to be made, or {@code null}
 */
public record StoredBatch(
    String batchId,
    GroupKey group,
    int lineCount,
    BatchPhase phase,
    String providerBatchId,
    Instant plannedAt,
    Instant submittingAt) {}
