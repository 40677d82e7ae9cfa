package io.sluice.providers.internal;

import io.sluice.providers.BatchItemResult;
import io.sluice.providers.BatchItemStatus;
import io.sluice.providers.BatchStatus;
import io.sluice.schemas.job.ErrorInfo;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Completes a batch's reported results so that every submitted {@code custom_id} has one. */
public final class MissingResults {
  /** The code of a line the provider did not report on. */
  public static final String MISSING_RESULT = "missing_result";

  private MissingResults() {}

  /**
   * @param status the batch's terminal status
   * @param reported what the provider reported
   * @param customIds every submitted {@code custom_id}
   * @return one result per submitted ID, in the order given
   */
  public static List<BatchItemResult> complete(
      BatchStatus status, List<BatchItemResult> reported, Collection<String> customIds) {
    if (!status.isTerminal()) {
      throw new IllegalStateException(
          "batch "
              + status.batchId()
              + " is "
              + status.providerStatus()
              + "; results are available once it has ended");
    }
    Map<String, BatchItemResult> byId = new LinkedHashMap<>();
    reported.forEach(result -> byId.putIfAbsent(result.customId(), result));
    List<BatchItemResult> complete = new ArrayList<>(customIds.size());
    for (String customId : customIds) {
      BatchItemResult result = byId.get(customId);
      complete.add(result != null ? result : missing(status, customId));
    }
    return complete;
  }

  private static BatchItemResult missing(BatchStatus status, String customId) {
    return switch (status.state()) {
      case EXPIRED ->
          BatchItemResult.failed(
              customId,
              BatchItemStatus.EXPIRED,
              ErrorInfo.retriable("batch_expired", "the batch expired before this request ran"),
              null);
      case CANCELLED ->
          BatchItemResult.failed(
              customId,
              BatchItemStatus.CANCELLED,
              ErrorInfo.retriable(
                  "batch_cancelled", "the batch was cancelled before this request ran"),
              null);
      case FAILED ->
          BatchItemResult.failed(
              customId,
              BatchItemStatus.ERRORED,
              new ErrorInfo(
                  status.failureCode() == null ? "batch_failed" : status.failureCode(),
                  failureMessage(status),
                  FailureClassifier.isRetriableBatchFailure(status.failureCode())),
              null);
      default ->
          BatchItemResult.failed(
              customId,
              BatchItemStatus.ERRORED,
              ErrorInfo.retriable(
                  MISSING_RESULT, "the provider reported no result for this request"),
              null);
    };
  }

  private static String failureMessage(BatchStatus status) {
    return status.failureMessage() == null
        ? "the provider refused the whole batch"
        : status.failureMessage();
  }
}
