package io.sluice.batch.plan;

import io.sluice.providers.BatchItemResult;
import io.sluice.providers.pricing.PriceTable;
import io.sluice.schemas.job.ErrorInfo;
import io.sluice.schemas.job.Placement;
import io.sluice.schemas.task.TaskResult;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * What each line's outcome means for its task, as a pure function:
 *
 * <ul>
 *   <li>succeeded → a result with the provider's usage and the cost at the batch price;
 *   <li>a retriable error, an expired, cancelled or missing line → the task goes alone into a later
 *       batch, until it has been in {@code maxAttempts} batches; then it falls back to the realtime
 *       lane (a transient failure must not end a deferred job; the realtime workers retry it under
 *       their own policy, at the realtime price);
 *   <li>a permanent error → the task fails with the provider's code and message;
 *   <li>the whole batch failed → every item goes back to pending, into batches at most half as
 *       large (so a batch refused for its size or for one bad line is split until the bad line is
 *       alone), until out of attempts, then to the realtime lane;
 *   <li>the provider refused the batch for room in its queue → every item goes back to pending as
 *       it was, its attempt given back (the submitter backs off the group);
 *   <li>a task that already fell back to a realtime lane → only a success is still published (the
 *       call happened and its cost is real); anything else is ignored, never resubmitted.
 * </ul>
 *
 * <p>Terminal results carry the task's last placement and, for a success, the same usage at the
 * realtime price ({@code realtimeCostUsd}) beside the batch price ({@code costUsd}).
 *
 * @param maxAttempts the most provider batches one task may be in
 * @param prices the price table for the batch price
 */
public record OutcomePolicy(int maxAttempts, PriceTable prices) {
  /** The code of a line the provider did not report (see {@code BatchProvider#results}). */
  public static final String MISSING_RESULT = "missing_result";

  public OutcomePolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException(
          "batch-submitter.max-attempts must be at least 1, was " + maxAttempts);
    }
    Objects.requireNonNull(prices, "prices");
  }

  /** The decision for one line of an ended batch. */
  public ItemDecision decideLine(Attempt attempt, BatchItemResult line, Instant now) {
    if (attempt.fellBack() && !line.isSucceeded()) {
      return new ItemDecision.Ignore("fell back to a realtime lane; line " + line.status());
    }
    return switch (line.status()) {
      case SUCCEEDED -> new ItemDecision.Complete(succeeded(attempt, line, now));
      case ERRORED -> errored(attempt, errorOf(line, "line_failed"), now);
      case EXPIRED -> retry(attempt, errorOf(line, "expired"), 1, now);
      case CANCELLED -> retry(attempt, errorOf(line, "cancelled"), 1, now);
    };
  }

  /**
   * The decision for one item of a batch that failed as a whole.
   *
   * @param batchLines how many lines the failed batch had
   * @param error the provider's reason for the failure
   */
  public ItemDecision decideFailedBatch(
      Attempt attempt, int batchLines, ErrorInfo error, Instant now) {
    if (attempt.fellBack()) {
      return new ItemDecision.Ignore("fell back to a realtime lane; batch failed");
    }
    int half = Math.max(1, (batchLines + 1) / 2);
    int bound = batchLines <= 1 ? 1 : Math.min(half, batchLines - 1);
    return retry(attempt, retriable(error), bound, now);
  }

  /**
   * The decision for one item of a batch the provider refused for room in its queue.
   *
   * @param created whether the provider had created the batch (it failed in validation) rather than
   *     refused the create call
   */
  public ItemDecision decideRefusedBatch(Attempt attempt, ErrorInfo error, boolean created) {
    if (attempt.fellBack()) {
      return new ItemDecision.Ignore("fell back to a realtime lane; batch refused");
    }
    return new ItemDecision.Requeue(
        retriable(error), created ? Placement.Stage.RESUBMITTED : Placement.Stage.PENDING);
  }

  private ItemDecision errored(Attempt attempt, ErrorInfo error, Instant now) {
    if (!error.retriable()) {
      return new ItemDecision.Complete(failed(attempt, error, now));
    }
    return retry(attempt, error, 1, now);
  }

  private ItemDecision retry(Attempt attempt, ErrorInfo error, int maxBatchLines, Instant now) {
    if (attempt.attempts() >= maxAttempts) {
      return new ItemDecision.FallBack(error);
    }
    return new ItemDecision.Resubmit(error, maxBatchLines);
  }

  private TaskResult succeeded(Attempt attempt, BatchItemResult line, Instant now) {
    String model = line.model() != null ? line.model() : attempt.task().request().model();
    BigDecimal cost = prices.batchCost(model, line.usage());
    if (cost == null) {
      cost = prices.batchCost(attempt.task().request().model(), line.usage());
    }
    BigDecimal realtimeCost = prices.realtimeCost(model, line.usage());
    if (realtimeCost == null) {
      realtimeCost = prices.realtimeCost(attempt.task().request().model(), line.usage());
    }
    return TaskResult.succeeded(
            attempt.task(),
            line.output(),
            line.usage(),
            model,
            cost,
            attempt.attempts(),
            attempt.startedAt(),
            now)
        .withPlacement(attempt.placement())
        .withRealtimeCost(realtimeCost);
  }

  private static TaskResult failed(Attempt attempt, ErrorInfo error, Instant now) {
    return TaskResult.failed(attempt.task(), error, attempt.attempts(), attempt.startedAt(), now)
        .withPlacement(attempt.placement());
  }

  private static ErrorInfo errorOf(BatchItemResult line, String fallbackCode) {
    if (line.error() != null) {
      return line.error();
    }
    return ErrorInfo.retriable(fallbackCode, "the provider reported the line as " + line.status());
  }

  private static ErrorInfo retriable(ErrorInfo error) {
    return error.retriable() ? error : ErrorInfo.retriable(error.code(), error.message());
  }
}
