package io.sluice.dispatcher.completion;

import io.sluice.schemas.job.JobEvent;

/** What recording one task result does to its job. */
public sealed interface CompletionStep {

  /** The job's first task started: store the progress, publish the {@code running} event. */
  record Started(JobProgress progress, JobEvent event) implements CompletionStep {}

  /** The job reached a terminal status: store the progress, publish the event. */
  record Completed(JobProgress progress, JobEvent event) implements CompletionStep {}

  /**
   * The result was already recorded, the job is already running (for a start) or already terminal:
   * nothing changes.
   */
  record Duplicate(String reason) implements CompletionStep {}

  /** The result belongs to no task the dispatcher created: set it aside for an operator. */
  record Rejected(String reason) implements CompletionStep {}
}
