package io.sluice.dispatcher.routing;

import io.sluice.dispatcher.fallback.FallbackPlan;
import io.sluice.dispatcher.mapreduce.MapReduceRegistration;
import io.sluice.schemas.job.JobEvent;
import io.sluice.schemas.task.Task;
import java.util.List;

/** What the dispatcher does with a submitted job. */
public sealed interface RoutingDecision {

  /**
   * Queue these tasks (one for a completion job and for a map-reduce job's chunk), each on its
   * provider's lane; a map-reduce job's registration and a completion job's fallback plan go to
   * completion.
   */
  record Dispatch(List<Task> tasks, MapReduceRegistration mapReduce, FallbackPlan fallback)
      implements RoutingDecision {
    public Dispatch {
      tasks = List.copyOf(tasks);
    }

    /** Tasks of a job without a fallback chain. */
    public Dispatch(List<Task> tasks, MapReduceRegistration mapReduce) {
      this(tasks, mapReduce, null);
    }

    /** Tasks of a job that is not map-reduce. */
    public Dispatch(List<Task> tasks) {
      this(tasks, null, null);
    }
  }

  /** The job cannot run: publish this terminal {@code failed} event instead. */
  record Reject(JobEvent failed) implements RoutingDecision {}
}
