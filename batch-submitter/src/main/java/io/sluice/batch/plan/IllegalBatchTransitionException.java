package io.sluice.batch.plan;

/** A provider batch was asked to move between phases that do not follow each other. */
public final class IllegalBatchTransitionException extends IllegalStateException {
  private static final long serialVersionUID = 1L;

  private final String batchId;
  private final transient BatchPhase from;
  private final transient BatchPhase to;

  public IllegalBatchTransitionException(String batchId, BatchPhase from, BatchPhase to) {
    super("batch " + batchId + " cannot move from " + from + " to " + to);
    this.batchId = batchId;
    this.from = from;
    this.to = to;
  }

  public String batchId() {
    return batchId;
  }

  public BatchPhase from() {
    return from;
  }

  public BatchPhase to() {
    return to;
  }
}
