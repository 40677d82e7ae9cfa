package io.sluice.bench.intake;

/**
 * When to stop stepping the rate up: once a step accepted less than a share of what it offered,
 * higher rates would only measure a queue growing.
 *
 * @param minAcceptedShare {@code 202}s ÷ scheduled requests a step needs for the next to run
 */
public record StopRule(double minAcceptedShare) {
  /** A step that accepts under 90% of its offered requests is the last. */
  public static final StopRule DEFAULT = new StopRule(0.9);

  public StopRule {
    if (!(minAcceptedShare > 0 && minAcceptedShare <= 1)) {
      throw new IllegalArgumentException("share must be in (0, 1], got " + minAcceptedShare);
    }
  }

  /** Whether the step kept up with its offered rate. */
  public boolean keptUp(StepResult step) {
    return step.accepted() >= minAcceptedShare * step.scheduled();
  }
}
