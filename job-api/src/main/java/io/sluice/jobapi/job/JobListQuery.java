package io.sluice.jobapi.job;

import io.sluice.schemas.job.JobStatus;
import io.sluice.schemas.job.Priority;
import java.time.Instant;
import java.util.Map;

/**
 * What {@code GET /v1/jobs} asks for: filters (each {@code null} when not given), where to start,
 * and how many. All filters must hold.
 *
 * @param status only jobs in this status
 * @param priority only jobs of this priority
 * @param model only jobs that named this model (as the client named it: a model or an alias)
 * @param metadata only jobs whose metadata has every one of these key/value pairs
 * @param createdAfter only jobs created strictly after this
 * @param createdBefore only jobs created strictly before this
 * @param after start after this cursor (the previous page's {@code next_cursor})
 * @param limit at most this many jobs, 1 to {@link #MAX_LIMIT}
 * @param batch only the jobs of this bulk batch (its lines)
 */
public record JobListQuery(
    JobStatus status,
    Priority priority,
    String model,
    Map<String, String> metadata,
    Instant createdAfter,
    Instant createdBefore,
    JobCursor after,
    int limit,
    String batch) {
  public static final int DEFAULT_LIMIT = 20;
  public static final int MAX_LIMIT = 100;

  /** The earliest and latest instants a filter or cursor may name (PostgreSQL's range is wider). */
  public static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");

  public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

  public JobListQuery {
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be 1.." + MAX_LIMIT + ", was " + limit);
    }
  }

  public JobListQuery(
      JobStatus status,
      Priority priority,
      String model,
      Map<String, String> metadata,
      Instant createdAfter,
      Instant createdBefore,
      JobCursor after,
      int limit) {
    this(status, priority, model, metadata, createdAfter, createdBefore, after, limit, null);
  }

  /** This query, only for the jobs of {@code batchId} ({@code null}: of any batch or none). */
  public JobListQuery withBatch(String batchId) {
    return new JobListQuery(
        status, priority, model, metadata, createdAfter, createdBefore, after, limit, batchId);
  }

  /** The first page of every job, {@link #DEFAULT_LIMIT} at a time. */
  public static JobListQuery all() {
    return new JobListQuery(null, null, null, Map.of(), null, null, null, DEFAULT_LIMIT);
  }
}
