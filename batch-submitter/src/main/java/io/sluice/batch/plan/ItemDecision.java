package io.sluice.batch.plan;

import io.sluice.schemas.job.ErrorInfo;
import io.sluice.schemas.job.Placement;
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
   * The task goes back to pending and into a later batch of at most {@code maxBatchLines} lines;
   * the attempt is used up.
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

  /**
   * The provider refused the batch for room in its queue (HTTP 429 at create, {@code
   * token_limit_exceeded}): the task goes back to pending as it was, its attempt given back.
   *
   * @param reason the provider's refusal
   * @param stage what the task is now shown as: {@code PENDING} when the batch was never created,
   *     {@code RESUBMITTED} when it was (and the task had been shown inside it)
   */
  record Requeue(ErrorInfo reason, Placement.Stage stage) implements ItemDecision {
    public Requeue {
      Objects.requireNonNull(reason, "reason");
      Objects.requireNonNull(stage, "stage");
    }
  }

  /**
   * The task has been in as many provider batches as it may be and the last one did not finish it
   * for a reason that may pass (a server error, an expired or missing line, a failed batch): it
   * leaves the deferred lane for the realtime fallback lane, like a task whose deadline is near,
   * and is never submitted in a batch again. A transient failure thus never ends a deferred job.
   *
   * @param reason why the last attempt did not finish it
   */
  record FallBack(ErrorInfo reason) implements ItemDecision {
    public FallBack {
      Objects.requireNonNull(reason, "reason");
    }
  }

  /**
   * Nothing is published and the item stays where it is: its task already runs on a realtime lane
   * and this line did not succeed.
   */
  record Ignore(String why) implements ItemDecision {
    public Ignore {
      Objects.requireNonNull(why, "why");
    }
  }
}
