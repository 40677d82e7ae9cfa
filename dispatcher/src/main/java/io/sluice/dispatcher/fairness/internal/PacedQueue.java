package io.sluice.dispatcher.fairness.internal;

import io.sluice.lane.FairQueue;
import io.sluice.lane.FairQueueState;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Where one paced queue (a provider and lane, in one stream task) stands: how many of its tasks are
 * in flight, how many of each tenant wait, the next sequence number (arrival order within a tenant)
 * and the fair-queuing state between tenants.
 *
 * @param inFlight released and not finished
 * @param waiting by tenant, tasks waiting (only tenants with at least one)
 * @param nextSeq the sequence number of the next task to arrive
 * @param fair where weighted fair queuing stands
 */
public record PacedQueue(
    int inFlight, Map<String, Long> waiting, long nextSeq, FairQueueState fair) {
  public static final PacedQueue EMPTY = new PacedQueue(0, Map.of(), 0, FairQueueState.START);

  public PacedQueue {
    waiting = waiting == null ? Map.of() : Map.copyOf(waiting);
    fair = fair == null ? FairQueueState.START : fair;
  }

  /** The tenants with tasks waiting. */
  public Set<String> waitingTenants() {
    return waiting.keySet();
  }

  /** A task of {@code tenant} arrived. */
  PacedQueue arrived(String tenant) {
    Map<String, Long> counts = new TreeMap<>(waiting);
    counts.merge(tenant, 1L, Long::sum);
    return new PacedQueue(inFlight, counts, nextSeq + 1, fair);
  }

  /** A task of {@code tenant} left the waiting room (released or dropped). */
  PacedQueue taken(String tenant) {
    Map<String, Long> counts = new TreeMap<>(waiting);
    counts.computeIfPresent(tenant, (t, n) -> n <= 1 ? null : n - 1);
    return new PacedQueue(inFlight, counts, nextSeq, fair);
  }

  /** {@code tenant} has nothing waiting after all. */
  PacedQueue emptied(String tenant) {
    Map<String, Long> counts = new TreeMap<>(waiting);
    counts.remove(tenant);
    return new PacedQueue(inFlight, counts, nextSeq, fair);
  }

  /** A task of {@code tenant} was released: one more in flight, its tenant served. */
  PacedQueue released(String tenant, FairQueue queue) {
    return new PacedQueue(inFlight + 1, waiting, nextSeq, queue.release(fair, tenant));
  }

  /** A released task finished (or timed out). */
  PacedQueue finished() {
    return new PacedQueue(Math.max(0, inFlight - 1), waiting, nextSeq, fair);
  }

  /** Whether the queue holds nothing worth keeping. */
  boolean isIdle() {
    return inFlight == 0 && waiting.isEmpty();
  }
}
