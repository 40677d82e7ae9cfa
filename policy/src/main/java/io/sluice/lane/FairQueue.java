package io.sluice.lane;

import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Weighted fair queuing between tenants (start-time fair queuing): of the tenants with work
 * waiting, the one whose next release has the smallest start tag goes next; each release moves its
 * tenant's tag on by {@link #UNIT} divided by its weight. While tenants A and B both wait they are
 * released in the ratio of their weights, however much either has waiting and whoever came first; a
 * tenant that arrives starts at the current virtual time, so it owes nothing for the time it had no
 * work and gains nothing from it. Ties go to the tenant ID that sorts first. Pure.
 */
public final class FairQueue {
  /** The tag distance of one release of a tenant of weight 1. */
  public static final long UNIT = 1_000_000L;

  private final TenantWeights weights;

  public FairQueue(TenantWeights weights) {
    this.weights = weights;
  }

  /** The tenant to release next, of those with work waiting; none when none waits. */
  public Optional<String> next(FairQueueState state, Collection<String> waiting) {
    return waiting.stream()
        .min(
            Comparator.comparingLong((String tenant) -> state.startTagOf(tenant))
                .thenComparing(Comparator.naturalOrder()));
  }

  /**
   * The state after one release of {@code tenant}'s work. Tags the new virtual time has reached are
   * forgotten: such a tenant's next start is the virtual time either way.
   */
  public FairQueueState release(FairQueueState state, String tenant) {
    long start = state.startTagOf(tenant);
    Map<String, Long> tags = new HashMap<>(state.finishTags());
    tags.put(tenant, start + UNIT / weights.weightOf(tenant));
    tags.values().removeIf(tag -> tag <= start);
    return new FairQueueState(start, tags);
  }
}
