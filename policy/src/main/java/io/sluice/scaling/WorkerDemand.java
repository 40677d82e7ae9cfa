package io.sluice.scaling;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * How many worker instances of one provider can do useful work now.
 *
 * <pre>
 * needed    = backlog ÷ drain target                         (tasks per minute)
 * limit     = the fastest rate at which the recent model mix can run before one of its models
 *             reaches its limit: min over models of (model's tasks/min allowed ÷ model's share)
 * instance  = what one instance does unhindered: concurrency × 60 s ÷ mean call time
 * desired   = ceil(min(needed, limit) ÷ instance), within [min, max]
 * cap       = ceil(limit ÷ instance): beyond it more instances only wait on the limiter
 * </pre>
 *
 * A model whose limits are unknown does not cap; with no recent tasks the mix is unknown and only
 * the backlog counts.
 */
public final class WorkerDemand {
  private final ScalingSettings settings;

  public WorkerDemand(ScalingSettings settings) {
    this.settings = settings;
  }

  /**
   * @param backlogTasks tasks waiting in the provider's realtime lanes (share-group lag)
   * @param recentTasks the recent tasks' models and sizes; empty when none ran yet
   * @param limits the provider account's limits per model
   * @param tasksPerMinutePerInstance what one instance does when nothing holds it back
   */
  public Signal desired(
      long backlogTasks,
      List<TaskShape> recentTasks,
      List<ModelLimit> limits,
      double tasksPerMinutePerInstance) {
    if (backlogTasks < 0) {
      throw new IllegalArgumentException("backlog must not be negative: " + backlogTasks);
    }
    if (!(tasksPerMinutePerInstance > 0)) {
      throw new IllegalArgumentException(
          "an instance's rate must be positive: " + tasksPerMinutePerInstance);
    }
    double needed = backlogTasks * 60_000.0 / settings.drainTarget().toMillis();
    double limit = limitRate(recentTasks, limits);
    int cap = clamp(instances(limit, tasksPerMinutePerInstance));
    int desired =
        backlogTasks == 0
            ? settings.minInstances()
            : clamp(instances(Math.min(needed, limit), tasksPerMinutePerInstance));
    return new Signal(desired, cap, needed, limit, tasksPerMinutePerInstance);
  }

  private static double limitRate(List<TaskShape> recentTasks, List<ModelLimit> limits) {
    Map<String, ModelLimit> byModel =
        limits.stream().collect(Collectors.toMap(ModelLimit::model, Function.identity()));
    double rate = Double.POSITIVE_INFINITY;
    for (TaskShape shape : recentTasks) {
      ModelLimit limit = byModel.get(shape.model());
      if (limit != null) {
        rate = Math.min(rate, limit.tasksPerMinute(shape) / shape.share());
      }
    }
    return rate;
  }

  private static long instances(double tasksPerMinute, double perInstance) {
    if (Double.isInfinite(tasksPerMinute)) {
      return Long.MAX_VALUE;
    }
    return (long) Math.ceil(tasksPerMinute / perInstance - 1e-9);
  }

  private int clamp(long instances) {
    return (int) Math.max(settings.minInstances(), Math.min(settings.maxInstances(), instances));
  }

  /**
   * The signal and how it came about.
   *
   * @param desired instances that can do useful work now
   * @param cap instances the rate limits can keep busy (the most {@code desired} can reach)
   * @param neededTasksPerMinute the backlog's demand
   * @param limitTasksPerMinute what the limits allow for the recent mix (infinite when unknown)
   * @param instanceTasksPerMinute what one instance does
   */
  public record Signal(
      int desired,
      int cap,
      double neededTasksPerMinute,
      double limitTasksPerMinute,
      double instanceTasksPerMinute) {

    /** Whether the limits, not the backlog, hold the signal down. */
    public boolean limitBound() {
      return limitTasksPerMinute < neededTasksPerMinute;
    }
  }
}
