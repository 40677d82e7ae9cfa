package io.sluice.providers;

/**
 * Where a provider batch is in its life, in one vocabulary for both providers. OpenAI's statuses
 * map one to one; Anthropic's {@code in_progress} → {@link #IN_PROGRESS}, {@code canceling} →
 * {@link #CANCELLING}, {@code ended} → {@link #COMPLETED} (or {@link #CANCELLED} when a cancel was
 * requested). Per-line outcomes (including expired lines) are in the results either way.
 */
public enum BatchState {
  /** The input is being checked (OpenAI {@code validating}). */
  VALIDATING(false),
  /** Requests are being processed. */
  IN_PROGRESS(false),
  /** Processing is done and the output is being written (OpenAI {@code finalizing}). */
  FINALIZING(false),
  /** A cancel was requested and is taking effect. */
  CANCELLING(false),
  /** Ended normally; results are available (some lines may still have failed). */
  COMPLETED(true),
  /** The whole batch was refused (OpenAI {@code failed}, e.g. invalid input file): no results. */
  FAILED(true),
  /** The completion window ran out; finished lines are delivered, the rest expired. */
  EXPIRED(true),
  /** Cancelled; finished lines are delivered, the rest cancelled. */
  CANCELLED(true);

  private final boolean terminal;

  BatchState(boolean terminal) {
    this.terminal = terminal;
  }

  /** Whether the batch has ended and will not change any more. */
  public boolean isTerminal() {
    return terminal;
  }
}
