package io.sluice.lane;

import java.util.Map;

/**
 * Each tenant's weight for fair sharing: a tenant of weight 2 gets twice the share of a lane that a
 * tenant of weight 1 gets while both have work waiting. A tenant not named has the default weight.
 *
 * @param weights weight by tenant ID, each at least 1
 * @param defaultWeight the weight of every other tenant, at least 1
 */
public record TenantWeights(Map<String, Integer> weights, int defaultWeight) {
  /** Every tenant weighs 1. */
  public static final TenantWeights EQUAL = new TenantWeights(Map.of(), 1);

  public TenantWeights {
    weights = Map.copyOf(weights);
    if (defaultWeight < 1) {
      throw new IllegalArgumentException("the default tenant weight must be at least 1");
    }
    weights.forEach(
        (tenant, weight) -> {
          if (weight == null || weight < 1) {
            throw new IllegalArgumentException(
                "the weight of tenant " + tenant + " must be at least 1, got " + weight);
          }
        });
  }

  /** The weight of a tenant; {@code null} (unknown) weighs the default. */
  public int weightOf(String tenant) {
    return tenant == null ? defaultWeight : weights.getOrDefault(tenant, defaultWeight);
  }
}
