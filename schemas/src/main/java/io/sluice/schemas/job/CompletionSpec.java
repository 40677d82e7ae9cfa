package io.sluice.schemas.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * What one model call should do: the model (a provider model name or a configured alias), the
 * conversation, and generation parameters.
 *
 * @param model the model name or alias as the client gave it
 * @param messages the conversation, at least one message
 * @param maxTokens the most output tokens the call may produce; {@code null} for the provider's
 *     default
 * @param temperature sampling temperature; {@code null} for the provider's default
 * @param responseSchema a JSON Schema the output must satisfy (structured output), or {@code null}
 * @param maxRepairs with a response schema: how many repair calls (the validation errors fed back
 *     to the model) a worker may make when the output does not satisfy it; {@code null} for the
 *     default (2)
 * @param fallback the job's own fallback chain: the models (names or aliases) to try, in order,
 *     when {@code model} fails for its provider; empty for none; {@code null} for the deployment's
 *     chain of {@code model}
 * @param maxCostUsd the job's {@code max_cost_usd}: a worker makes no further call (a repair) once
 *     the task's calls cost this much, and ends it {@code failed}; {@code null} for no cap
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CompletionSpec(
    String model,
    List<ChatMessage> messages,
    Integer maxTokens,
    Double temperature,
    JsonNode responseSchema,
    Integer maxRepairs,
    List<String> fallback,
    BigDecimal maxCostUsd) {

  public CompletionSpec {
    messages = messages == null ? null : List.copyOf(messages);
    fallback = fallback == null ? null : List.copyOf(fallback);
  }

  /** A call that follows the deployment's fallback chain, without a cost cap. */
  public CompletionSpec(
      String model,
      List<ChatMessage> messages,
      Integer maxTokens,
      Double temperature,
      JsonNode responseSchema,
      Integer maxRepairs) {
    this(model, messages, maxTokens, temperature, responseSchema, maxRepairs, null, null);
  }

  /** A call with the default number of repairs. */
  public CompletionSpec(
      String model,
      List<ChatMessage> messages,
      Integer maxTokens,
      Double temperature,
      JsonNode responseSchema) {
    this(model, messages, maxTokens, temperature, responseSchema, null, null, null);
  }

  /** The same call on another model (used when an alias resolves to a provider model). */
  public CompletionSpec withModel(String resolvedModel) {
    return new CompletionSpec(
        resolvedModel,
        messages,
        maxTokens,
        temperature,
        responseSchema,
        maxRepairs,
        fallback,
        maxCostUsd);
  }

  /** The same call with its own fallback chain ({@code null}: the deployment's). */
  public CompletionSpec withFallback(List<String> chain) {
    return new CompletionSpec(
        model, messages, maxTokens, temperature, responseSchema, maxRepairs, chain, maxCostUsd);
  }

  /** The same call with the conversation continued by {@code more} (a repair call). */
  public CompletionSpec continuedWith(List<ChatMessage> more) {
    List<ChatMessage> longer = new ArrayList<>(messages);
    longer.addAll(more);
    return new CompletionSpec(
        model, longer, maxTokens, temperature, responseSchema, maxRepairs, fallback, maxCostUsd);
  }
}
