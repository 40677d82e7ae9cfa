package io.sluice.jobapi.bulk.files;

import java.util.List;

/** One page of a tenant's files, newest first; {@code hasMore} when another page follows. */
public record FilePage(List<BulkFile> files, boolean hasMore) {}
