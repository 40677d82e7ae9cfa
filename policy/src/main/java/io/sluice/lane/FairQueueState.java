package io.sluice.lane;

import java.util.Map;
import java.util.TreeMap;

/**
 * Where weighted fair queuing between tenants stands on one queue: the virtual time (the start tag
 * of the last release) and each tenant's finish tag (where its next release may start). Tags are in
 * units of {@link FairQueue#UNIT} per release of a tenant of weight 1. Tenants whose tag the
 * virtual time has passed are dropped ({@link FairQueue#release}), so the state holds only those
 * ahead of the others.
 *
 * @param virtualTime the start tag of the last release
 * @param finishTags by tenant, the finish tag of its last release
 */
public record FairQueueState(long virtualTime, Map<String, Long> finishTags) {
  /** No release yet. */
  public static final FairQueueState START = new FairQueueState(0, Map.of());

  public FairQueueState {
    finishTags = finishTags == null ? Map.of() : new TreeMap<>(finishTags);
    finishTags = java.util.Collections.unmodifiableMap(finishTags);
  }

  /** Where a tenant's next release would start: not before the virtual time. */
  public long startTagOf(String tenant) {
    return Math.max(virtualTime, finishTags.getOrDefault(tenant, virtualTime));
  }
}
