package io.sluice.lane;

import io.sluice.schemas.task.Lane;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * What a worker pool started lately (its last few starts, {@link LaneShares#history()}): how many
 * per lane and per tenant within each lane. The lane policy uses it to keep each lane's minimum
 * share and to start, within a lane, the task of the tenant served least.
 *
 * @param byLane starts per lane
 * @param byTenant per lane, starts per tenant ({@code ""} for an unknown tenant)
 */
public record RecentStarts(Map<Lane, Integer> byLane, Map<Lane, Map<String, Integer>> byTenant) {
  /** Nothing started yet. */
  public static final RecentStarts NONE = new RecentStarts(Map.of(), Map.of());

  public RecentStarts {
    Map<Lane, Map<String, Integer>> copy = new EnumMap<>(Lane.class);
    byTenant.forEach((lane, counts) -> copy.put(lane, Map.copyOf(counts)));
    byTenant = Map.copyOf(copy);
    byLane = Map.copyOf(byLane);
  }

  /** The key of a tenant in {@link #byTenant}. */
  public static String tenantKey(String tenant) {
    return tenant == null ? "" : tenant;
  }

  /** All recent starts. */
  public int total() {
    return byLane.values().stream().mapToInt(Integer::intValue).sum();
  }

  /** Recent starts of a lane. */
  public int in(Lane lane) {
    return byLane.getOrDefault(lane, 0);
  }

  /** Recent starts of a tenant's tasks in a lane. */
  public int of(Lane lane, String tenant) {
    return byTenant.getOrDefault(lane, Map.of()).getOrDefault(tenantKey(tenant), 0);
  }

  /** These counts with one more start. */
  public RecentStarts plus(Lane lane, String tenant) {
    return add(lane, tenant, 1);
  }

  /** These counts without one start (that left the history). */
  public RecentStarts minus(Lane lane, String tenant) {
    return add(lane, tenant, -1);
  }

  private RecentStarts add(Lane lane, String tenant, int delta) {
    Map<Lane, Integer> lanes = new EnumMap<>(Lane.class);
    lanes.putAll(byLane);
    lanes.merge(lane, delta, (a, b) -> a + b == 0 ? null : a + b);
    Map<Lane, Map<String, Integer>> tenants = new EnumMap<>(Lane.class);
    tenants.putAll(byTenant);
    Map<String, Integer> counts = new HashMap<>(byTenant.getOrDefault(lane, Map.of()));
    counts.merge(tenantKey(tenant), delta, (a, b) -> a + b == 0 ? null : a + b);
    tenants.put(lane, counts);
    return new RecentStarts(lanes, tenants);
  }
}
