package io.sluice.simulator.internal.batch;

/** Where a batch is in its life, in OpenAI's terms (Anthropic's map onto them). */
public enum BatchPhase {
  VALIDATING("validating", "in_progress"),
  FAILED("failed", "ended"),
  IN_PROGRESS("in_progress", "in_progress"),
  FINALIZING("finalizing", "in_progress"),
  COMPLETED("completed", "ended"),
  EXPIRED("expired", "ended"),
  CANCELLING("cancelling", "canceling"),
  CANCELLED("cancelled", "ended");

  private final String openAi;
  private final String anthropic;

  BatchPhase(String openAi, String anthropic) {
    this.openAi = openAi;
    this.anthropic = anthropic;
  }

  /** OpenAI's {@code status}. */
  public String openAi() {
    return openAi;
  }

  /** Anthropic's {@code processing_status}. */
  public String anthropic() {
    return anthropic;
  }

  /** Whether nothing changes any more. */
  public boolean isTerminal() {
    return this == FAILED || this == COMPLETED || this == EXPIRED || this == CANCELLED;
  }

  /** Whether a cancel request is allowed in this phase. */
  public boolean isCancellable() {
    return this == VALIDATING || this == IN_PROGRESS;
  }
}
