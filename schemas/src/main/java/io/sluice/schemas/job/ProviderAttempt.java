package io.sluice.schemas.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * One entry of a job's fallback chain that the job tried: which provider and model, how it ended,
 * the provider calls it made and what they cost. A job with a fallback chain lists them in order;
 * when it succeeded, the last one answered.
 *
 * @param provider the provider, e.g. {@code anthropic}
 * @param model the provider's model name
 * @param outcome {@code succeeded}, {@code failed}, {@code expired} or {@code cancelled}
 * @param calls the provider calls made for this entry (retries and repairs included)
 * @param usage the tokens they used
 * @param costUsd what they cost, or {@code null} when unknown
 * @param error why this entry failed; {@code null} when it succeeded
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProviderAttempt(
    String provider,
    String model,
    String outcome,
    int calls,
    TokenUsage usage,
    BigDecimal costUsd,
    ErrorInfo error) {

  public ProviderAttempt {
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(outcome, "outcome");
    usage = usage == null ? TokenUsage.NONE : usage;
  }
}
