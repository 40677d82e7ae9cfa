package io.sluice.dispatcher.completion;

import io.sluice.schemas.job.JobEvent;
import io.sluice.schemas.task.Task;

/** What recording one task result, or a job's deadline passing, does to its job. */
public sealed interface CompletionStep {

  /** Something to publish: store the progress, publish the event. */
  sealed interface Recorded extends CompletionStep {
    JobProgress progress();

    JobEvent event();
  }

  /** The job's first task started: the {@code running} event. */
  record Started(JobProgress progress, JobEvent event) implements Recorded {}

  /** The deferred lane moved the job's task: a {@code queued} or {@code running} event with it. */
  record Placed(JobProgress progress, JobEvent event) implements Recorded {}

  /** The job reached a terminal status: its terminal event. */
  record Completed(JobProgress progress, JobEvent event) implements Recorded {}

  /**
   * Another terminal result of a job that had already ended (a deferred task's batch line and its
   * realtime fallback both ran): the event of the job's new cumulative cost.
   */
  record LateCost(JobProgress progress, JobEvent event) implements Recorded {}

  /**
   * The current entry of the job's fallback chain failed in a way that lets it fall back: store the
   * progress (the failed entry counted), queue {@code task} on the next entry's provider. The job
   * goes on running; no event.
   */
  record FellBack(JobProgress progress, Task task) implements CompletionStep {}

  /**
   * The result was already recorded, the job is already running (for a start) or already terminal,
   * or the result adds nothing: nothing changes.
   */
  record Duplicate(String reason) implements CompletionStep {}

  /** The result belongs to no task the dispatcher created: set it aside for an operator. */
  record Rejected(String reason) implements CompletionStep {}
}
