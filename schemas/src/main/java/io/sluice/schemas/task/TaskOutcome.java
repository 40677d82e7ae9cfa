package io.sluice.schemas.task;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Where a task stands: its first provider call has started, or it ended. */
public enum TaskOutcome {
  /**
   * A worker's first provider call for the task was admitted and is under way; no output yet. Sent
   * on the same partition (the job ID) before the task's end, so it never overtakes it.
   */
  @JsonProperty("started")
  STARTED,
  @JsonProperty("succeeded")
  SUCCEEDED,
  @JsonProperty("failed")
  FAILED;

  /** Whether the task ended ({@code succeeded} or {@code failed}). */
  public boolean isTerminal() {
    return this != STARTED;
  }
}
