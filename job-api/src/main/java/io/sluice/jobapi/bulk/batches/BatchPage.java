package io.sluice.jobapi.bulk.batches;

import java.util.List;

/** One page of a tenant's batches, newest first. */
public record BatchPage(List<BatchView> batches, boolean hasMore) {}
