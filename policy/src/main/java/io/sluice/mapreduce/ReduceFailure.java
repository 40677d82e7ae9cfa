package io.sluice.mapreduce;

/**
 * A reduce that cannot finish: a permanent failure of the job, never retried. {@link #reason()}
 * says which of the three ways it failed; the message names the level and the figures.
 */
public final class ReduceFailure extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** Why a reduce cannot finish. */
  public enum Reason {
    /** One partial answer alone is larger than a reduce call holds. */
    PARTIAL_ANSWER_TOO_LARGE,
    /** More levels than the depth bound would be needed. */
    DOES_NOT_CONVERGE,
    /** A level of reduce outputs is no smaller than the level it combined. */
    DOES_NOT_SHRINK
  }

  private final Reason reason;
  private final int level;

  public ReduceFailure(Reason reason, int level, String message) {
    super(message);
    this.reason = reason;
    this.level = level;
  }

  public Reason reason() {
    return reason;
  }

  /** The level whose partial answers could not be combined (0: the map outputs). */
  public int level() {
    return level;
  }
}
