package io.sluice.jobapi.bulk.batches;

import java.math.BigDecimal;

/**
 * A batch with what its jobs say now: the counts, and Sluice's extras.
 *
 * @param costUsd the cost of the batch's jobs so far
 * @param deferred how many of its jobs run on the deferred lane (the rest run realtime)
 */
public record BatchView(Batch batch, RequestCounts counts, BigDecimal costUsd, long deferred) {}
