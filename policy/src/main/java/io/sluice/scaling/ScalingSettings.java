package io.sluice.scaling;

import java.time.Duration;

/**
 * How the scaling signal reads demand.
 *
 * @param drainTarget the backlog is demand for clearing it within this time (default 2 min)
 * @param minInstances the signal never says fewer (default 1, so a lane is always read)
 * @param maxInstances nor more (default 100)
 */
public record ScalingSettings(Duration drainTarget, int minInstances, int maxInstances) {
  public static final ScalingSettings DEFAULT = new ScalingSettings(Duration.ofMinutes(2), 1, 100);

  public ScalingSettings {
    if (drainTarget == null || drainTarget.toMillis() < 1_000) {
      throw new IllegalArgumentException("drainTarget must be at least 1 s: " + drainTarget);
    }
    if (minInstances < 0 || maxInstances < Math.max(1, minInstances)) {
      throw new IllegalArgumentException(
          "need 0 <= minInstances <= maxInstances, maxInstances >= 1: "
              + minInstances
              + ", "
              + maxInstances);
    }
  }
}
