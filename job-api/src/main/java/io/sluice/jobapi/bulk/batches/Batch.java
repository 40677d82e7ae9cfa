package io.sluice.jobapi.bulk.batches;

import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * A batch as job-api stores it.
 *
 * @param total how many lines (jobs) it has
 * @param errors the input file's line errors of a {@code failed} batch, else empty
 * @param times when it entered each status it has been in
 */
public record Batch(
    String id,
    String tenantId,
    String inputFileId,
    String endpoint,
    String completionWindow,
    BatchStatus status,
    Map<String, String> metadata,
    List<LineError> errors,
    long total,
    String outputFileId,
    String errorFileId,
    boolean cancelsSent,
    Instant createdAt,
    Instant expiresAt,
    Map<BatchStatus, Instant> times) {

  public Batch {
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
    errors = errors == null ? List.of() : List.copyOf(errors);
    times = times == null ? Map.of() : Map.copyOf(times);
  }

  /** This batch in {@code next} status (for what is written about it; not stored by this). */
  public Batch withStatus(BatchStatus next) {
    return with(next, errors, total, outputFileId, errorFileId, times);
  }

  /** This batch ended in {@code status} with these result files ({@code null}: none). */
  public Batch ended(BatchStatus status, String outputFile, String errorFile) {
    return with(status, errors, total, outputFile, errorFile, times);
  }

  /** This batch, validated, {@code in_progress} since {@code at} with {@code total} jobs. */
  public Batch started(long total, Instant at) {
    return with(
        BatchStatus.IN_PROGRESS,
        List.of(),
        total,
        outputFileId,
        errorFileId,
        withTime(BatchStatus.IN_PROGRESS, at));
  }

  /** This batch {@code failed} at {@code at} with these errors and no job. */
  public Batch failed(List<LineError> errors, Instant at) {
    return with(BatchStatus.FAILED, errors, 0, null, null, withTime(BatchStatus.FAILED, at));
  }

  private Batch with(
      BatchStatus status,
      List<LineError> errors,
      long total,
      String outputFileId,
      String errorFileId,
      Map<BatchStatus, Instant> times) {
    return new Batch(
        id,
        tenantId,
        inputFileId,
        endpoint,
        completionWindow,
        status,
        metadata,
        errors,
        total,
        outputFileId,
        errorFileId,
        cancelsSent,
        createdAt,
        expiresAt,
        times);
  }

  private Map<BatchStatus, Instant> withTime(BatchStatus status, Instant at) {
    Map<BatchStatus, Instant> next = new EnumMap<>(BatchStatus.class);
    next.putAll(times);
    next.put(status, at);
    return next;
  }
}
