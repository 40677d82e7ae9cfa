package io.sluice.dispatcher.fairness;

import io.sluice.lane.TenantWeights;
import io.sluice.schemas.task.Lane;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Set;

/**
 * How the dispatcher paces the lanes it holds back (docs/fairness.md): the tasks of a paced lane
 * wait in the dispatcher's state and reach the lane's topic by weighted fair queuing between
 * tenants, at most {@code window} in flight per provider and lane in each stream task (one per
 * partition of {@code task-results}).
 *
 * @param lanes the paced lanes; {@code interactive} and {@code deferred} may not be paced
 * @param window how many tasks of one provider and lane a stream task keeps on the topic and not
 *     finished; the whole lane holds at most {@code window × partitions}. Size it so that this
 *     covers the workers' concurrency on the lane with some to spare, or workers idle
 * @param releaseTimeout after how long a task in flight no longer counts against the window without
 *     its result (a lost result cannot shrink the window for good)
 * @param weights the tenants' weights
 */
public record PacingSettings(
    Set<Lane> lanes, int window, Duration releaseTimeout, TenantWeights weights) {
  public static final int DEFAULT_WINDOW = 32;
  public static final Duration DEFAULT_RELEASE_TIMEOUT = Duration.ofMinutes(10);

  /**
   * {@code bulk} paced, a window of 32, equal tenants. The {@code standard} lane is not paced by
   * default: pacing adds a hop through the dispatcher (about 110 ms to a lone job's median,
   * docs/fairness.md), which the default lane of interactive services should not pay unless the
   * deployment asks for fairness there too ({@link #STANDARD_AND_BULK}).
   */
  public static final PacingSettings DEFAULT =
      new PacingSettings(
          EnumSet.of(Lane.BULK), DEFAULT_WINDOW, DEFAULT_RELEASE_TIMEOUT, TenantWeights.EQUAL);

  /** {@code standard} and {@code bulk} paced, a window of 32, equal tenants. */
  public static final PacingSettings STANDARD_AND_BULK =
      DEFAULT.withLanes(EnumSet.of(Lane.STANDARD, Lane.BULK));

  /** No lane paced: every task goes to its topic when its job is routed. */
  public static final PacingSettings OFF =
      new PacingSettings(Set.of(), DEFAULT_WINDOW, DEFAULT_RELEASE_TIMEOUT, TenantWeights.EQUAL);

  public PacingSettings {
    lanes = lanes.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(lanes));
    if (lanes.contains(Lane.INTERACTIVE) || lanes.contains(Lane.DEFERRED)) {
      throw invalid("lanes", "may hold only standard and bulk", lanes);
    }
    if (window < 1) {
      throw invalid("window", "must be at least 1", window);
    }
    if (releaseTimeout == null || !releaseTimeout.isPositive()) {
      throw invalid("releaseTimeout", "must be positive", releaseTimeout);
    }
    if (weights == null) {
      throw invalid("weights", "must be set", null);
    }
  }

  /** These settings pacing {@code pacedLanes} (standard and bulk at most; empty: none). */
  public PacingSettings withLanes(Set<Lane> pacedLanes) {
    return new PacingSettings(pacedLanes, window, releaseTimeout, weights);
  }

  /** These settings with another window. */
  public PacingSettings withWindow(int newWindow) {
    return new PacingSettings(lanes, newWindow, releaseTimeout, weights);
  }

  /** These settings with other tenant weights. */
  public PacingSettings withWeights(TenantWeights newWeights) {
    return new PacingSettings(lanes, window, releaseTimeout, newWeights);
  }

  /** These settings with another release timeout. */
  public PacingSettings withReleaseTimeout(Duration timeout) {
    return new PacingSettings(lanes, window, timeout, weights);
  }

  /** Whether tasks of this lane are paced. */
  public boolean paces(Lane lane) {
    return lanes.contains(lane);
  }

  private static IllegalArgumentException invalid(String setting, String rule, Object value) {
    return new IllegalArgumentException(
        "dispatcher setting 'pacing." + setting + "' " + rule + ", got: " + value);
  }
}
