package io.sluice.launcher.limits;

import io.sluice.providers.ProviderKind;
import io.sluice.ratelimit.RateLimits;
import io.sluice.schemas.model.ModelCatalog;
import io.sluice.schemas.model.ModelRoute;
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

  private static RateLimits toRateLimits(String provider, ModelLimits model) {
    return RateLimits.forStyle(
        ProviderKind.forProvider(provider).limitStyle(),
        model.requestsPerMinute(),
        model.tokensPerMinute(),
        model.inputTokensPerMinute(),
        model.outputTokensPerMinute());
  }
}
