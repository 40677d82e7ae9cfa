package io.sluice.providers;

/** How one line of a provider batch ended. */
public enum BatchItemStatus {
  /** The line produced a response; it is billed at the batch price. */
  SUCCEEDED,
  /** The line failed; {@link BatchItemResult#error()} says why and whether a retry can help. */
  ERRORED,
  /** The batch's completion window ran out before the line ran; resubmit it. */
  EXPIRED,
  /** The batch was cancelled before the line ran. */
  CANCELLED
}
