package io.sluice.workers;

/**
 * Where the input-token figure a task reserves in the rate limiter comes from. Reconciliation
 * corrects the charge with the provider's reported usage after the call either way; the estimate
 * decides how close to the limit admission may run before that.
 */
public enum InputTokenEstimate {
  /**
   * The larger of the model's tokenizer count (exact for OpenAI models, conservative elsewhere) and
   * the task's own estimate. The default: never below what the provider will count.
   */
  COUNTED,

  /**
   * The task's own estimate ({@code estimated_input_tokens}, set by the dispatcher or the
   * submitter) as given, without counting again: for a submitter that knows better than the
   * tokenizer, or to measure how the limiter copes with an estimate that is off.
   */
  TASK_ESTIMATE
}
