package io.sluice.scaling;

/**
 * What a provider account allows for one model, per minute; {@link Double#POSITIVE_INFINITY} for a
 * meter it does not limit.
 */
public record ModelLimit(
    String model,
    double requestsPerMinute,
    double tokensPerMinute,
    double inputTokensPerMinute,
    double outputTokensPerMinute) {

  public ModelLimit {
    if (!(requestsPerMinute > 0
        && tokensPerMinute > 0
        && inputTokensPerMinute > 0
        && outputTokensPerMinute > 0)) {
      throw new IllegalArgumentException("limits of " + model + " must be positive");
    }
  }

  /** Tasks of {@code shape} per minute this model's limits allow. */
  double tasksPerMinute(TaskShape shape) {
    double rate = requestsPerMinute;
    rate =
        Math.min(rate, tokensPerMinute / Math.max(1, shape.inputTokens() + shape.outputTokens()));
    rate = Math.min(rate, inputTokensPerMinute / Math.max(1, shape.inputTokens()));
    return Math.min(rate, outputTokensPerMinute / Math.max(1, shape.outputTokens()));
  }
}
