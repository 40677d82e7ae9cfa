package io.sluice.dispatcher.fallback;

import io.sluice.fallback.FallbackPolicy;
import io.sluice.schemas.job.CompletionSpec;
import io.sluice.schemas.model.ModelRoute;
import io.sluice.schemas.task.Lane;
import io.sluice.schemas.task.Task;
import io.sluice.schemas.task.TaskResult;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.ToLongFunction;

/**
 * Moves a completion job's task along its fallback chain ({@link FallbackPolicy}): the plan of a
 * routed job, and the next entry's task when the current one failed in a way that lets it fall
 * back. The next task keeps the task's ID, job, tenant, deadline and realtime lane (a task that was
 * on the deferred lane goes to {@code standard}, as the deferred lane's own realtime fallback
 * does); its request names the next entry's provider model and is estimated anew.
 */
public final class FallbackRouting {
  private final FallbackPolicy policy;
  private final ToLongFunction<CompletionSpec> inputTokens;

  public FallbackRouting(FallbackPolicy policy, ToLongFunction<CompletionSpec> inputTokens) {
    this.policy = policy;
    this.inputTokens = inputTokens;
  }

  /**
   * The plan of a completion job whose first task is {@code first}, or empty when its chain is its
   * model alone (the task is then marked as having no fallback entry).
   *
   * @param model the model or alias as the job named it
   * @param primary where it resolved to
   * @param jobFallback the job's own chain ({@code null}: the deployment's)
   */
  public Optional<FallbackPlan> planFor(
      String model, ModelRoute primary, List<String> jobFallback, Task first) {
    List<ModelRoute> chain = policy.chainOf(model, primary, jobFallback);
    if (chain.size() < 2) {
      return Optional.empty();
    }
    return Optional.of(FallbackPlan.start(first.withFallbackAvailable(true), chain));
  }

  /** A step along the chain: the plan after the failure and the task to queue. */
  public record Step(FallbackPlan plan, Task task) {}

  /**
   * The next entry's task after {@code failed}, the current entry's failed result, or empty when
   * the job ends with that failure.
   */
  public Optional<Step> next(FallbackPlan plan, TaskResult failed, Instant now) {
    OptionalInt next = policy.next(plan.chain(), plan.current(), failed.error());
    if (next.isEmpty()) {
      return Optional.empty();
    }
    int index = next.getAsInt();
    ModelRoute entry = plan.chain().get(index);
    Task current = plan.task();
    CompletionSpec request = current.request().withModel(entry.providerModel());
    Lane lane = current.lane() == Lane.DEFERRED ? Lane.STANDARD : current.lane();
    Task task =
        current.fallenBackTo(
            entry.provider(),
            lane,
            request,
            inputTokens.applyAsLong(request),
            now,
            FallbackPolicy.hasNext(plan.chain(), index));
    return Optional.of(new Step(plan.movedTo(index, task, failed), task));
  }
}
