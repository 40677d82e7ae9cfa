package io.sluice.dispatcher.fallback;

import io.sluice.schemas.job.ProviderAttempt;
import io.sluice.schemas.model.ModelRoute;
import io.sluice.schemas.task.Task;
import io.sluice.schemas.task.TaskOutcome;
import io.sluice.schemas.task.TaskResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Where a job with a fallback chain stands: its chain, the entry its task is on, that entry's task
 * (the template of the next one) and the entries it tried before. Kept in the job's progress.
 *
 * @param task the task of the current entry
 * @param chain the job's chain, its own model first
 * @param current the index of the current entry
 * @param tried the entries tried before the current one, in order
 */
public record FallbackPlan(
    Task task, List<ModelRoute> chain, int current, List<ProviderAttempt> tried) {

  public FallbackPlan {
    Objects.requireNonNull(task, "task");
    chain = List.copyOf(chain);
    tried = tried == null ? List.of() : List.copyOf(tried);
    if (current < 0 || current >= chain.size()) {
      throw new IllegalArgumentException(
          "job " + task.jobId() + ": fallback entry " + current + " is outside its chain");
    }
  }

  /** The plan of a job whose first task is {@code first}, on entry 0 of {@code chain}. */
  public static FallbackPlan start(Task first, List<ModelRoute> chain) {
    return new FallbackPlan(first, chain, 0, List.of());
  }

  /** Whether {@code result} is a result of the current entry's task (not of an earlier entry). */
  public boolean isCurrent(TaskResult result) {
    String model = task.request().model();
    return task.provider().equals(result.provider())
        && (result.model() == null
            || result.model().equals(model)
            || result.model().startsWith(model + "-"));
  }

  /** The plan after {@code failed}, on entry {@code next} with its task {@code nextTask}. */
  public FallbackPlan movedTo(int next, Task nextTask, TaskResult failed) {
    return new FallbackPlan(nextTask, chain, next, with(failed));
  }

  /** Every entry tried, {@code last} (the current entry's end) included. */
  public List<ProviderAttempt> with(TaskResult last) {
    List<ProviderAttempt> all = new ArrayList<>(tried);
    all.add(attemptOf(last));
    return List.copyOf(all);
  }

  /** What an entry's terminal result says about it. */
  public static ProviderAttempt attemptOf(TaskResult result) {
    return new ProviderAttempt(
        result.provider(),
        result.model(),
        outcomeName(result.outcome()),
        result.attempts(),
        result.usage(),
        result.costUsd(),
        result.outcome() == TaskOutcome.SUCCEEDED ? null : result.error());
  }

  private static String outcomeName(TaskOutcome outcome) {
    return switch (outcome) {
      case SUCCEEDED -> "succeeded";
      case FAILED -> "failed";
      case EXPIRED -> "expired";
      case CANCELLED -> "cancelled";
      case STARTED, PLACED -> throw new IllegalArgumentException(outcome + " is not an end");
    };
  }
}
