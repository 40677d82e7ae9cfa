package io.sluice.lane;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.schemas.task.Lane;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Invariants of {@link LanePolicy#nextToStart} over random pools. */
class NextToStartPropertiesTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final List<Lane> ORDER = List.of(Lane.INTERACTIVE, Lane.STANDARD, Lane.BULK);

  private static final List<String> TENANTS = List.of("t1", "t2", "t3");

  private final LanePolicy policy =
      new LanePolicy(
          DeadlinePolicy.DEFAULT,
          LaneShares.DEFAULT.withBulkShare(0.2).withWeights(new TenantWeights(Map.of("t2", 3), 1)));

  @Provide
  Arbitrary<PoolSnapshot> pools() {
    Arbitrary<String> model = Arbitraries.of("a", "b", "c").injectNull(0.1);
    Arbitrary<List<String>> laneModels = model.list().ofMaxSize(6);
    Arbitrary<RecentStarts> recent =
        Combinators.combine(Arbitraries.of(ORDER), Arbitraries.of(TENANTS).injectNull(0.1))
            .as(Start::new)
            .list()
            .ofMaxSize(40)
            .map(NextToStartPropertiesTest::recentOf);
    Arbitrary<Map<String, Instant>> deferrals =
        Arbitraries.maps(
                Arbitraries.of("a", "b", "c"),
                Arbitraries.integers().between(-3, 3).map(NOW::plusSeconds))
            .ofMaxSize(3);
    return Combinators.combine(
            laneModels,
            laneModels,
            laneModels,
            Arbitraries.integers().between(-2, 8),
            Arbitraries.subsetOf(ORDER),
            deferrals,
            recent)
        .as(
            (interactive, standard, bulk, free, polling, deferred, starts) -> {
              Map<Lane, List<WaitingTask>> waiting = new EnumMap<>(Lane.class);
              waiting.put(Lane.INTERACTIVE, tasks(Lane.INTERACTIVE, interactive));
              waiting.put(Lane.STANDARD, tasks(Lane.STANDARD, standard));
              waiting.put(Lane.BULK, tasks(Lane.BULK, bulk));
              return new PoolSnapshot(waiting, free, polling, deferred, NOW, starts);
            });
  }

  private record Start(Lane lane, String tenant) {}

  private static RecentStarts recentOf(List<Start> starts) {
    RecentStarts recent = RecentStarts.NONE;
    for (Start start : starts) {
      recent = recent.plus(start.lane(), start.tenant());
    }
    return recent;
  }

  private static List<WaitingTask> tasks(Lane lane, List<String> models) {
    List<WaitingTask> tasks = new ArrayList<>();
    for (int i = 0; i < models.size(); i++) {
      String tenant = TENANTS.get((models.size() * 7 + i * 3) % TENANTS.size());
      tasks.add(new WaitingTask(lane + "-" + i, models.get(i), tenant, NOW.minusMillis(100 - i)));
    }
    return tasks;
  }

  @Property(tries = 1000)
  void neverStartsATaskOfADeferredModel(@ForAll("pools") PoolSnapshot pool) {
    policy.nextToStart(pool).ifPresent(task -> assertThat(pool.isDeferred(task)).isFalse());
  }

  @Property(tries = 1000)
  void neverStartsMoreTasksThanThereAreFreeSlots(@ForAll("pools") PoolSnapshot pool) {
    int started = 0;
    PoolSnapshot current = pool;
    Optional<WaitingTask> next;
    while ((next = policy.nextToStart(current)).isPresent()) {
      started++;
      current = without(current, next.get());
    }

    assertThat(started).isLessThanOrEqualTo(Math.max(0, pool.freeSlots()));
  }

  @Property(tries = 1000)
  void startsFromTheHighestLaneThatHasAStartableTaskUnlessALaneIsOwed(
      @ForAll("pools") PoolSnapshot pool) {
    policy
        .nextToStart(pool)
        .ifPresent(
            task -> {
              Lane lane = laneOf(pool, task);
              if (policy.isOwed(lane, pool.recent())) {
                return;
              }
              for (Lane higher : ORDER.subList(0, ORDER.indexOf(lane))) {
                assertThat(startable(pool, higher)).as("startable in %s", higher).isEmpty();
              }
            });
  }

  @Property(tries = 1000)
  void startsTheOldestStartableTaskOfTheLeastServedTenantOfItsLane(
      @ForAll("pools") PoolSnapshot pool) {
    policy
        .nextToStart(pool)
        .ifPresent(
            task -> {
              Lane lane = laneOf(pool, task);
              double served = service(pool, lane, task.tenant());
              for (WaitingTask other : startable(pool, lane)) {
                assertThat(service(pool, lane, other.tenant()))
                    .as("weighted recent starts of %s", other.tenant())
                    .isGreaterThanOrEqualTo(served);
              }
              assertThat(
                      startable(pool, lane).stream()
                          .filter(other -> service(pool, lane, other.tenant()) == served)
                          .findFirst())
                  .contains(task);
            });
  }

  @Property(tries = 1000)
  void startsFromAnOwedLaneWhenItHasAStartableTask(@ForAll("pools") PoolSnapshot pool) {
    boolean bulkOwed =
        policy.isOwed(Lane.BULK, pool.recent()) && !startable(pool, Lane.BULK).isEmpty();

    if (bulkOwed && pool.freeSlots() > 0) {
      assertThat(policy.nextToStart(pool).map(task -> laneOf(pool, task))).contains(Lane.BULK);
    }
  }

  /**
   * Under a constant stream of interactive work (interactive always has a task waiting and a poll
   * in flight), bulk still gets its minimum share of every window of recent starts (rounded down to
   * whole starts), less the one start that may just have left the window.
   */
  @Property(tries = 200)
  void bulkKeepsItsMinimumShareUnderConstantInteractiveLoad(
      @ForAll @net.jqwik.api.constraints.IntRange(min = 1, max = 50) int sharePercent,
      @ForAll @net.jqwik.api.constraints.IntRange(min = 1, max = 200) int history) {
    double share = sharePercent / 100.0;
    LanePolicy shared =
        new LanePolicy(
            DeadlinePolicy.DEFAULT,
            new LaneShares(Map.of(Lane.BULK, share), history, TenantWeights.EQUAL));
    java.util.ArrayDeque<Lane> window = new java.util.ArrayDeque<>();
    int starts = 0;
    for (int i = 0; i < 2_000; i++) {
      RecentStarts recent = RecentStarts.NONE;
      for (Lane lane : window) {
        recent = recent.plus(lane, "t1");
      }
      Map<Lane, List<WaitingTask>> waiting = new EnumMap<>(Lane.class);
      waiting.put(Lane.INTERACTIVE, List.of(new WaitingTask("i" + i, "a", "t1", NOW)));
      waiting.put(Lane.BULK, List.of(new WaitingTask("b" + i, "a", "t1", NOW)));
      PoolSnapshot pool =
          new PoolSnapshot(waiting, 1, Set.of(Lane.INTERACTIVE), Map.of(), NOW, recent);
      Lane started = laneOf(pool, shared.nextToStart(pool).orElseThrow());
      window.addLast(started);
      if (window.size() > history) {
        window.removeFirst();
      }
      starts++;
      if (starts >= history) {
        long bulk = window.stream().filter(Lane.BULK::equals).count();
        assertThat((double) bulk)
            .as("bulk starts of the last %s", history)
            .isGreaterThanOrEqualTo(Math.floor(share * history) - 1);
      }
    }
  }

  private double service(PoolSnapshot pool, Lane lane, String tenant) {
    return (double) pool.recent().of(lane, tenant) / policy.shares().weights().weightOf(tenant);
  }

  @Property(tries = 1000)
  void startsNothingBelowALaneWhosePollIsInFlightUnlessItIsOwed(
      @ForAll("pools") PoolSnapshot pool) {
    policy
        .nextToStart(pool)
        .ifPresent(
            task -> {
              Lane lane = laneOf(pool, task);
              if (policy.isOwed(lane, pool.recent())) {
                return;
              }
              for (Lane higher : ORDER.subList(0, ORDER.indexOf(lane))) {
                assertThat(pool.pollsInFlight()).doesNotContain(higher);
              }
            });
  }

  @Property(tries = 1000)
  void startsSomethingWhenASlotIsFreeAndNoPollIsInFlight(@ForAll("pools") PoolSnapshot pool) {
    PoolSnapshot settled =
        new PoolSnapshot(
            pool.waiting(),
            pool.freeSlots(),
            Set.of(),
            pool.deferredUntil(),
            pool.now(),
            pool.recent());
    boolean anyStartable = ORDER.stream().anyMatch(lane -> !startable(settled, lane).isEmpty());

    assertThat(policy.nextToStart(settled).isPresent())
        .isEqualTo(anyStartable && settled.freeSlots() > 0);
  }

  private static List<WaitingTask> startable(PoolSnapshot pool, Lane lane) {
    return pool.waitingIn(lane).stream().filter(task -> !pool.isDeferred(task)).toList();
  }

  private static Lane laneOf(PoolSnapshot pool, WaitingTask task) {
    return ORDER.stream()
        .filter(lane -> pool.waitingIn(lane).contains(task))
        .findFirst()
        .orElseThrow();
  }

  private static PoolSnapshot without(PoolSnapshot pool, WaitingTask started) {
    Map<Lane, List<WaitingTask>> waiting = new HashMap<>();
    pool.waiting()
        .forEach(
            (lane, tasks) ->
                waiting.put(lane, tasks.stream().filter(task -> !task.equals(started)).toList()));
    return new PoolSnapshot(
        waiting,
        pool.freeSlots() - 1,
        new HashSet<>(pool.pollsInFlight()),
        pool.deferredUntil(),
        pool.now(),
        pool.recent());
  }
}
