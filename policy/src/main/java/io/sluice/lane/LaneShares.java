package io.sluice.lane;

import io.sluice.schemas.task.Lane;
import java.util.EnumMap;
import java.util.Map;

/**
 * How a worker pool shares its slots between lanes and tenants: the minimum share of starts a lower
 * lane keeps while it has work (so a constant stream of interactive work never starves it), how
 * many recent starts those shares are counted over, and the tenants' weights within a lane.
 *
 * @param minimumShares by lane, the least fraction of recent starts it gets while it has a
 *     startable task (each in [0, 1), together below 1); lanes not named have none
 * @param history how many of the pool's last starts are counted (at least 1)
 * @param weights the tenants' weights within a lane
 */
public record LaneShares(Map<Lane, Double> minimumShares, int history, TenantWeights weights) {
  /** The default minimum share of the {@code bulk} lane. */
  public static final double DEFAULT_BULK_SHARE = 0.1;

  /** The default number of recent starts counted. */
  public static final int DEFAULT_HISTORY = 100;

  /** Bulk keeps a tenth of the starts; tenants weigh the same. */
  public static final LaneShares DEFAULT =
      new LaneShares(Map.of(Lane.BULK, DEFAULT_BULK_SHARE), DEFAULT_HISTORY, TenantWeights.EQUAL);

  /** Strict lane order, every tenant the same: no minimum shares. */
  public static final LaneShares STRICT = new LaneShares(Map.of(), 1, TenantWeights.EQUAL);

  public LaneShares {
    Map<Lane, Double> copy = new EnumMap<>(Lane.class);
    copy.putAll(minimumShares);
    minimumShares = Map.copyOf(copy);
    double sum = 0;
    for (var share : minimumShares.entrySet()) {
      if (share.getValue() == null || share.getValue() < 0 || share.getValue() >= 1) {
        throw new IllegalArgumentException(
            "the minimum share of lane "
                + share.getKey().topicSegment()
                + " must be in [0, 1), got "
                + share.getValue());
      }
      sum += share.getValue();
    }
    if (sum >= 1) {
      throw new IllegalArgumentException("the minimum shares of the lanes must add up to below 1");
    }
    if (history < 1) {
      throw new IllegalArgumentException("the start history must count at least 1 start");
    }
    if (weights == null) {
      throw new IllegalArgumentException("tenant weights must be set");
    }
  }

  /** The bulk lane's minimum share set to {@code share}, the rest unchanged. */
  public LaneShares withBulkShare(double share) {
    Map<Lane, Double> shares = new EnumMap<>(Lane.class);
    shares.putAll(minimumShares);
    shares.put(Lane.BULK, share);
    return new LaneShares(shares, history, weights);
  }

  /** The same shares with these tenant weights. */
  public LaneShares withWeights(TenantWeights tenantWeights) {
    return new LaneShares(minimumShares, history, tenantWeights);
  }

  /** The minimum share of a lane (0 when none is set). */
  public double minimumShareOf(Lane lane) {
    return minimumShares.getOrDefault(lane, 0.0);
  }
}
