package io.sluice.workers;

/**
 * Where the input-token figure a task reserves in the rate limiter comes from. Reconciliation
 * corrects the charge with the provider's reported usage after the call either way; the estimate
 * decides how close to the limit admission may run before that.
 */
public enum InputTokenEstimate {
  /**
   * Counted by the worker with the one token estimator, {@code
   * io.sluice.tokens.TokenEstimator.inputTokens(request)} (module {@code policy}: exact for OpenAI
   * models, conservative elsewhere; messages with their framing plus any response schema): the same
   * figure the dispatcher puts on the task, counted again here so that a task from any submitter
   * reserves what the provider will count. The default.
   */
  COUNTED,

  /**
   * The task's own estimate ({@code estimated_input_tokens}, set by the dispatcher or the
   * submitter) as given, without counting again: for a submitter that knows better than the
   * tokenizer, or to measure how the limiter copes with an estimate that is off.
   */
  TASK_ESTIMATE
}
