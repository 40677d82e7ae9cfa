package io.sluice.jobapi.webhook.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * How claimed deliveries are split into lanes: a lane is one send slot that sends its deliveries
 * one after the other, so one claim serves several sends. An endpoint gets as many lanes as it has
 * free concurrency (never more than it has deliveries, so that a short queue is still sent in
 * parallel), each of at most {@code perLane} deliveries dealt out in due order; endpoints are
 * served in the order of their oldest due delivery until the free slots are used. Pure.
 */
final class LanePlan {
  static final int MAX_PER_LANE = 8;

  private LanePlan() {}

  /**
   * Deliveries per lane: as many as can each take the whole send timeout and still end within the
   * lease, with one timeout to spare; at least 1, at most {@link #MAX_PER_LANE}.
   */
  static int perLane(Duration timeout, Duration lease) {
    long fit = lease.toMillis() / timeout.toMillis() - 1;
    return (int) Math.max(1, Math.min(MAX_PER_LANE, fit));
  }

  /**
   * @param due due deliveries, oldest first
   * @param target the endpoint (or one-off URL) a delivery goes to
   * @param running sends under way per target
   * @param perTarget sends at once per target
   * @param free free send slots
   * @param perLane deliveries per lane at most
   */
  static <T> List<List<T>> plan(
      List<T> due,
      Function<T, String> target,
      Map<String, Integer> running,
      int perTarget,
      int free,
      int perLane) {
    Map<String, List<T>> byTarget = new LinkedHashMap<>();
    for (T delivery : due) {
      byTarget.computeIfAbsent(target.apply(delivery), t -> new ArrayList<>()).add(delivery);
    }
    List<List<T>> lanes = new ArrayList<>();
    for (Map.Entry<String, List<T>> entry : byTarget.entrySet()) {
      int room = Math.min(perTarget - running.getOrDefault(entry.getKey(), 0), free - lanes.size());
      lanes.addAll(deal(entry.getValue(), room, perLane));
    }
    return lanes;
  }

  private static <T> List<List<T>> deal(List<T> deliveries, int room, int perLane) {
    int count = Math.min(room, deliveries.size());
    List<List<T>> lanes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      lanes.add(new ArrayList<>());
    }
    for (int i = 0; i < deliveries.size() && i < count * perLane; i++) {
      lanes.get(i % count).add(deliveries.get(i));
    }
    return lanes;
  }
}
