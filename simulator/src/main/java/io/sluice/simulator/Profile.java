package io.sluice.simulator;

import java.util.Map;

/**
 * A named set of rate limits: per model, with a default for models the profile does not list, and
 * the account's batch limits. Built-in profiles come from {@link Profiles}; tests build their own
 * (e.g. a tiny limit).
 *
 * @param batchLimits the batch queue and batch creation limits ({@link BatchQueueLimits#NONE} for
 *     none)
 * @param enforcement how the realtime limits are enforced and counted ({@link Enforcement#EXACT}:
 *     the model Sluice's limiter mirrors)
 */
public record Profile(
    String name,
    Map<String, ModelLimits> models,
    ModelLimits defaults,
    BatchQueueLimits batchLimits,
    Enforcement enforcement) {

  public Profile {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a profile needs a name");
    }
    models = Map.copyOf(models);
    if (defaults == null) {
      throw new IllegalArgumentException("profile '" + name + "' needs default limits");
    }
    if (batchLimits == null) {
      throw new IllegalArgumentException("profile '" + name + "' needs batch limits (or NONE)");
    }
    if (enforcement == null) {
      throw new IllegalArgumentException("profile '" + name + "' needs an enforcement (or EXACT)");
    }
  }

  /** A profile enforced exactly ({@link Enforcement#EXACT}). */
  public Profile(
      String name,
      Map<String, ModelLimits> models,
      ModelLimits defaults,
      BatchQueueLimits batchLimits) {
    this(name, models, defaults, batchLimits, Enforcement.EXACT);
  }

  /** A profile without batch limits. */
  public Profile(String name, Map<String, ModelLimits> models, ModelLimits defaults) {
    this(name, models, defaults, BatchQueueLimits.NONE);
  }

  /** A profile that gives every model the same limits. */
  public static Profile uniform(String name, ModelLimits limits) {
    return new Profile(name, Map.of(), limits);
  }

  /** The limits of a model. */
  public ModelLimits limitsFor(String model) {
    return models.getOrDefault(model, defaults);
  }

  /** A copy with one model's limits replaced or added. */
  public Profile withModel(String model, ModelLimits limits) {
    var copy = new java.util.HashMap<>(models);
    copy.put(model, limits);
    return new Profile(name, copy, defaults, batchLimits, enforcement);
  }

  /** A copy with these batch limits. */
  public Profile withBatchLimits(BatchQueueLimits limits) {
    return new Profile(name, models, defaults, limits, enforcement);
  }

  /** A copy enforced this way (see {@link Enforcement}). */
  public Profile withEnforcement(Enforcement value) {
    return new Profile(name, models, defaults, batchLimits, value);
  }
}
