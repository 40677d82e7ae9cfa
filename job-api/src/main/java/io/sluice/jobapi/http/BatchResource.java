package io.sluice.jobapi.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.sluice.jobapi.bulk.batches.Batch;
import io.sluice.jobapi.bulk.batches.BatchStatus;
import io.sluice.jobapi.bulk.batches.BatchView;
import io.sluice.jobapi.bulk.batches.LineError;
import io.sluice.jobapi.bulk.batches.RequestCounts;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A batch as {@code /v1/batches} shows it: OpenAI's batch object (times in epoch seconds, {@code
 * null} until reached), plus Sluice's extras under {@code sluice}.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record BatchResource(
    String id,
    String object,
    String endpoint,
    Errors errors,
    String inputFileId,
    String completionWindow,
    String status,
    String outputFileId,
    String errorFileId,
    long createdAt,
    Long inProgressAt,
    Long expiresAt,
    Long finalizingAt,
    Long completedAt,
    Long failedAt,
    Long expiredAt,
    Long cancellingAt,
    Long cancelledAt,
    RequestCounts requestCounts,
    Map<String, String> metadata,
    Sluice sluice) {

  /** {@code errors} of a failed batch: one entry per bad line (the first 100). */
  public record Errors(String object, List<Error> data) {}

  /** A bad line: {@code line} is 1-based, {@code null} for the file as a whole. */
  @JsonInclude(JsonInclude.Include.ALWAYS)
  public record Error(String code, String message, String param, Integer line) {}

  /**
   * Sluice's extras.
   *
   * @param costUsd the cost of the batch's finished work so far
   * @param lane {@code deferred} (24 h window: provider batch APIs at the batch price) or {@code
   *     realtime} (a shorter window)
   * @param deferredRequests lines run on the deferred lane
   * @param realtimeRequests lines run on realtime lanes
   * @param pendingRequests lines not yet ended
   */
  public record Sluice(
      BigDecimal costUsd,
      String lane,
      long deferredRequests,
      long realtimeRequests,
      long pendingRequests) {}

  public static BatchResource of(BatchView view) {
    Batch batch = view.batch();
    RequestCounts counts = view.counts();
    return new BatchResource(
        batch.id(),
        "batch",
        batch.endpoint(),
        errors(batch.errors()),
        batch.inputFileId(),
        batch.completionWindow(),
        batch.status().wireName(),
        batch.outputFileId(),
        batch.errorFileId(),
        batch.createdAt().getEpochSecond(),
        seconds(batch, BatchStatus.IN_PROGRESS),
        batch.expiresAt().getEpochSecond(),
        seconds(batch, BatchStatus.FINALIZING),
        seconds(batch, BatchStatus.COMPLETED),
        seconds(batch, BatchStatus.FAILED),
        seconds(batch, BatchStatus.EXPIRED),
        seconds(batch, BatchStatus.CANCELLING),
        seconds(batch, BatchStatus.CANCELLED),
        counts,
        batch.metadata(),
        new Sluice(
            view.costUsd(),
            view.deferred() > 0 ? "deferred" : "realtime",
            view.deferred(),
            batch.total() - view.deferred(),
            counts.unfinished()));
  }

  private static Errors errors(List<LineError> errors) {
    return errors.isEmpty()
        ? null
        : new Errors(
            "list",
            errors.stream().map(e -> new Error(e.code(), e.message(), null, e.line())).toList());
  }

  private static Long seconds(Batch batch, BatchStatus status) {
    Instant at = batch.times().get(status);
    return at == null ? null : at.getEpochSecond();
  }
}
