package io.sluice.lane;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** Invariants of weighted fair queuing between tenants ({@link FairQueue}). */
class FairQueuePropertiesTest {

  /**
   * While two tenants both wait, each gets its weighted share of releases within one release,
   * however far ahead the first came.
   */
  @Property(tries = 500)
  void twoBackloggedTenantsShareByWeightWithinOneRelease(
      @ForAll @IntRange(min = 1, max = 5) int weightA,
      @ForAll @IntRange(min = 1, max = 5) int weightB,
      @ForAll @IntRange(min = 0, max = 500) int headStart,
      @ForAll @IntRange(min = 1, max = 200) int releases) {
    FairQueue queue = new FairQueue(new TenantWeights(Map.of("a", weightA, "b", weightB), 1));
    FairQueueState state = FairQueueState.START;
    for (int i = 0; i < headStart; i++) {
      state = queue.release(state, "a");
    }

    List<String> order =
        FairQueueTest.releases(queue, state, Map.of("a", 1_000_000, "b", 1_000_000), releases);

    long b = order.stream().filter("b"::equals).count();
    double fair = (double) releases * weightB / (weightA + weightB);
    assertThat((double) b).isBetween(fair - 1.0, fair + 1.0);
  }

  /** Every release is of a tenant that waits; while any tenant waits, something is released. */
  @Property(tries = 500)
  void releasesOnlyWaitingTenantsAndAlwaysOneWhenAnyWaits(
      @ForAll @IntRange(min = 0, max = 20) int a,
      @ForAll @IntRange(min = 0, max = 20) int b,
      @ForAll @IntRange(min = 0, max = 20) int c) {
    FairQueue queue = new FairQueue(new TenantWeights(Map.of("a", 2), 1));
    Map<String, Integer> backlog = new HashMap<>(Map.of("a", a, "b", b, "c", c));

    List<String> order = FairQueueTest.releases(queue, FairQueueState.START, backlog, a + b + c);

    assertThat(order).hasSize(a + b + c);
    assertThat(order.stream().filter("a"::equals).count()).isEqualTo(a);
    assertThat(order.stream().filter("b"::equals).count()).isEqualTo(b);
  }

  /** The state holds no more tags than tenants that were released. */
  @Property(tries = 300)
  void stateStaysBounded(@ForAll @IntRange(min = 1, max = 300) int releases) {
    FairQueue queue = new FairQueue(TenantWeights.EQUAL);
    FairQueueState state = FairQueueState.START;
    for (int i = 0; i < releases; i++) {
      state = queue.release(state, "t" + (i % 7));
    }

    assertThat(state.finishTags().size()).isLessThanOrEqualTo(7);
    assertThat(state.virtualTime()).isNotNegative();
  }
}
