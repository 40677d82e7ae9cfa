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

  private final LanePolicy policy = new LanePolicy();

  @Provide
  Arbitrary<PoolSnapshot> pools() {
    Arbitrary<String> model = Arbitraries.of("a", "b", "c").injectNull(0.1);
    Arbitrary<List<String>> laneModels = model.list().ofMaxSize(6);
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
            deferrals)
        .as(
            (interactive, standard, bulk, free, polling, deferred) -> {
              Map<Lane, List<WaitingTask>> waiting = new EnumMap<>(Lane.class);
              waiting.put(Lane.INTERACTIVE, tasks(Lane.INTERACTIVE, interactive));
              waiting.put(Lane.STANDARD, tasks(Lane.STANDARD, standard));
              waiting.put(Lane.BULK, tasks(Lane.BULK, bulk));
              return new PoolSnapshot(waiting, free, polling, deferred, NOW);
            });
  }

  private static List<WaitingTask> tasks(Lane lane, List<String> models) {
    List<WaitingTask> tasks = new ArrayList<>();
    for (int i = 0; i < models.size(); i++) {
      tasks.add(new WaitingTask(lane + "-" + i, models.get(i), null, NOW.minusMillis(100 - i)));
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
  void startsFromTheHighestLaneThatHasAStartableTask(@ForAll("pools") PoolSnapshot pool) {
    policy
        .nextToStart(pool)
        .ifPresent(
            task -> {
              Lane lane = laneOf(pool, task);
              for (Lane higher : ORDER.subList(0, ORDER.indexOf(lane))) {
                assertThat(startable(pool, higher)).as("startable in %s", higher).isEmpty();
              }
            });
  }

  @Property(tries = 1000)
  void startsTheOldestStartableTaskOfItsLane(@ForAll("pools") PoolSnapshot pool) {
    policy
        .nextToStart(pool)
        .ifPresent(
            task -> assertThat(startable(pool, laneOf(pool, task)).getFirst()).isEqualTo(task));
  }

  @Property(tries = 1000)
  void startsNothingBelowALaneWhosePollIsInFlight(@ForAll("pools") PoolSnapshot pool) {
    policy
        .nextToStart(pool)
        .ifPresent(
            task -> {
              Lane lane = laneOf(pool, task);
              for (Lane higher : ORDER.subList(0, ORDER.indexOf(lane))) {
                assertThat(pool.pollsInFlight()).doesNotContain(higher);
              }
            });
  }

  @Property(tries = 1000)
  void startsSomethingWhenASlotIsFreeAndNoPollIsInFlight(@ForAll("pools") PoolSnapshot pool) {
    PoolSnapshot settled =
        new PoolSnapshot(
            pool.waiting(), pool.freeSlots(), Set.of(), pool.deferredUntil(), pool.now());
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
        pool.now());
  }
}
