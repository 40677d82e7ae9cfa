package io.sluice.batch.plan;

import java.util.Map;
import java.util.Objects;

/**
 * How much one provider account lets wait in its batch queue: OpenAI caps the prompt tokens
 * enqueued per model (the "batch queue limit") and the batch creations per hour; Anthropic caps the
 * requests in unfinished message batches. {@link #UNLIMITED} where a provider has no such limit.
 *
 * @param tokensPerModel enqueued prompt tokens allowed per model, by the provider's model name
 * @param tokensOtherModels the token limit of a model not listed in {@code tokensPerModel}
 * @param requests requests allowed in unfinished batches of the account (all models together)
 * @param creationsPerHour batches the account may create in any hour
 */
public record QueueLimits(
    Map<String, Long> tokensPerModel,
    long tokensOtherModels,
    long requests,
    long creationsPerHour) {

  /** No limit. */
  public static final long UNLIMITED = Long.MAX_VALUE;

  /**
   * OpenAI tier 1: 90,000 enqueued tokens for {@code gpt-4o}, 2,000,000 for {@code gpt-4o-mini},
   * the stricter 90,000 for any other model until configured, 2,000 batch creations per hour.
   */
  public static final QueueLimits OPENAI_TIER_1 =
      new QueueLimits(
          Map.of("gpt-4o", 90_000L, "gpt-4o-mini", 2_000_000L), 90_000, UNLIMITED, 2_000);

  /** Anthropic tier 1: 100,000 requests in unfinished message batches. */
  public static final QueueLimits ANTHROPIC_TIER_1 =
      new QueueLimits(Map.of(), UNLIMITED, 100_000, UNLIMITED);

  /** Nothing limited (a provider without a batch queue limit). */
  public static final QueueLimits NONE = new QueueLimits(Map.of(), UNLIMITED, UNLIMITED, UNLIMITED);

  public QueueLimits {
    tokensPerModel = Map.copyOf(Objects.requireNonNull(tokensPerModel, "tokensPerModel"));
    tokensPerModel.forEach((model, limit) -> positive(limit, "tokens." + model));
    positive(tokensOtherModels, "tokens.default");
    positive(requests, "requests");
    positive(creationsPerHour, "creations-per-hour");
  }

  /** The enqueued-token limit of a model. */
  public long tokensFor(String model) {
    return tokensPerModel.getOrDefault(model, tokensOtherModels);
  }

  /** These limits with one model's token limit set. */
  public QueueLimits withModelTokens(String model, long limit) {
    Map<String, Long> tokens = new java.util.HashMap<>(tokensPerModel);
    tokens.put(model, limit);
    return new QueueLimits(tokens, tokensOtherModels, requests, creationsPerHour);
  }

  public QueueLimits withOtherModelTokens(long limit) {
    return new QueueLimits(tokensPerModel, limit, requests, creationsPerHour);
  }

  public QueueLimits withRequests(long limit) {
    return new QueueLimits(tokensPerModel, tokensOtherModels, limit, creationsPerHour);
  }

  public QueueLimits withCreationsPerHour(long limit) {
    return new QueueLimits(tokensPerModel, tokensOtherModels, requests, limit);
  }

  private static void positive(long value, String key) {
    if (value < 1) {
      throw new IllegalArgumentException(
          "batch-submitter.queue-limits " + key + " must be at least 1, was " + value);
    }
  }
}
