package io.sluice.dispatcher.routing;

import io.sluice.schemas.job.CompletionSpec;

/**
 * Estimates how many input (prompt) tokens a model call will be billed for, before it is made. The
 * estimate travels with the task so that workers can reserve rate-limit capacity; it should err on
 * the high side. A tokenizer-backed implementation (rate-limiter's estimator) slots in here.
 */
@FunctionalInterface
public interface TokenEstimator {
  long estimateInputTokens(CompletionSpec request);
}
