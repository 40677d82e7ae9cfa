package io.sluice.batch.plan;

import io.sluice.schemas.job.ErrorInfo;
import io.sluice.schemas.task.TaskResult;
import java.util.Objects;

/** What becomes of an item after its batch line (or its whole batch) ended. */
public sealed interface ItemDecision {

  /** The task is finished: publish this result. */
  record Complete(TaskResult result) implements ItemDecision {
    public Complete {
      Objects.requireNonNull(result, "result");
    }
  }

  /**
   * The task goes back to pending and into a later batch of at most {@code maxBatchLines} lines.
   *
   * @param reason why the last attempt did not finish it
   */
  record Resubmit(ErrorInfo reason, int maxBatchLines) implements ItemDecision {
    public Resubmit {
      Objects.requireNonNull(reason, "reason");
      if (maxBatchLines < 1) {
        throw new IllegalArgumentException("maxBatchLines must be at least 1");
      }
    }
  }
}
