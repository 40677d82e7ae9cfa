package io.sluice.dispatcher.routing;

import io.sluice.schemas.job.JobEvent;
import io.sluice.schemas.task.Task;
import java.util.List;

/** What the dispatcher does with a submitted job. */
public sealed interface RoutingDecision {

  /** Queue these tasks (one for a completion job), each on its provider's lane. */
  record Dispatch(List<Task> tasks) implements RoutingDecision {
    public Dispatch {
      tasks = List.copyOf(tasks);
    }
  }

  /** The job cannot run: publish this terminal {@code failed} event instead. */
  record Reject(JobEvent failed) implements RoutingDecision {}
}
