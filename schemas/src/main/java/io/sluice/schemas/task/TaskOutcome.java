package io.sluice.schemas.task;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Where a task stands: its first provider call has started, the deferred lane moved it, or it ended
 * ({@code succeeded}, {@code failed}, {@code expired}, {@code cancelled}).
 */
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
  FAILED,
  /** Its job's deadline passed before it finished; no (further) provider call is made for it. */
  @JsonProperty("expired")
  EXPIRED,
  /**
   * Its job was cancelled before the next attempt: a worker dropped it without a (further) provider
   * call. The dispatcher reads it as the job's cancel, even before the cancel record itself.
   */
  @JsonProperty("cancelled")
  CANCELLED,
  /**
   * The deferred lane moved it ({@link TaskResult#placement()}: pending, in a provider batch,
   * resubmitted, fallen back to realtime). Not an end; a job it belongs to is running.
   */
  @JsonProperty("placed")
  PLACED;

  /**
   * Whether the task ended ({@code succeeded}, {@code failed}, {@code expired}, {@code cancelled}).
   */
  public boolean isTerminal() {
    return this == SUCCEEDED || this == FAILED || this == EXPIRED || this == CANCELLED;
  }
}
