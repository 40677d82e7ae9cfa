package io.sluice.launcher.limits;

import io.sluice.batch.plan.QueueLimits;
import io.sluice.providers.ProviderKind;
import io.sluice.ratelimit.RateLimits;
import io.sluice.schemas.model.ModelCatalog;
import io.sluice.schemas.model.ModelRoute;
import io.sluice.simulator.BatchQueueLimits;
import io.sluice.simulator.ModelLimits;
import io.sluice.simulator.Profile;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The limits a simulator profile enforces, as Sluice's rate limiter takes them, so that {@code
 * sluice local --profile openai-tier1} runs rate-limited exactly at the simulated account's limits.
 * Unlimited models get no limits.
 */
public final class ProfileLimits {
  private ProfileLimits() {}

  /** Limits per provider model of {@code provider}'s models in the catalogue. */
  public static Map<String, RateLimits> of(Profile profile, ModelCatalog models, String provider) {
    Map<String, RateLimits> limits = new LinkedHashMap<>();
    for (String name : models.names()) {
      ModelRoute route = models.resolve(name).orElseThrow();
      ModelLimits model = profile.limitsFor(route.providerModel());
      if (route.provider().equals(provider) && model.requestsPerMinute() < ModelLimits.MAX) {
        limits.put(route.providerModel(), toRateLimits(route.provider(), model));
      }
    }
    return limits;
  }

  /**
   * The batch queue limits a simulator profile enforces on one provider account, as the
   * batch-submitter keeps them: OpenAI's enqueued tokens per model and batch creations per hour,
   * Anthropic's queued requests. {@link QueueLimits#NONE} for a profile without batch limits.
   */
  public static QueueLimits batchQueue(Profile profile, ProviderKind kind) {
    BatchQueueLimits batch = profile.batchLimits();
    return switch (kind) {
      case OPENAI ->
          new QueueLimits(
              batch.enqueuedTokens(),
              batch.defaultEnqueuedTokens(),
              QueueLimits.UNLIMITED,
              batch.batchCreationsPerHour());
      case ANTHROPIC ->
          new QueueLimits(
              Map.of(), QueueLimits.UNLIMITED, batch.queuedRequests(), QueueLimits.UNLIMITED);
      default -> QueueLimits.NONE;
    };
  }

  private static RateLimits toRateLimits(String provider, ModelLimits model) {
    return RateLimits.forStyle(
        ProviderKind.forProvider(provider).limitStyle(),
        model.requestsPerMinute(),
        model.tokensPerMinute(),
        model.inputTokensPerMinute(),
        model.outputTokensPerMinute());
  }
}
