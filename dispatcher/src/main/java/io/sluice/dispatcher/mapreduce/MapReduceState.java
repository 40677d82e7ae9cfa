package io.sluice.dispatcher.mapreduce;

import io.sluice.schemas.job.TokenUsage;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a running map-reduce job stands: small and of a fixed size whatever the number of chunks
 * (the partial answers are kept one per store entry, not here), but for the skipped chunks.
 *
 * @param registration the job's registration, or {@code null} while results arrived first
 * @param level the level being made: 0 while mapping, {@code k} while reduce round {@code k} runs
 * @param expected calls of that level ({@code chunks_total} for level 0)
 * @param done calls of that level ended (succeeded, or skipped)
 * @param mapCalls map calls ended
 * @param reduceCalls reduce calls ended
 * @param skipped chunks skipped, in the order they were
 * @param usage tokens of every ended call
 * @param costUsd cost of every ended call, {@code null} while none had a cost
 * @param attempts provider calls of every ended call
 * @param startedAt when the first call started, or {@code null}
 */
public record MapReduceState(
    MapReduceRegistration registration,
    int level,
    int expected,
    int done,
    int mapCalls,
    int reduceCalls,
    List<Integer> skipped,
    TokenUsage usage,
    BigDecimal costUsd,
    int attempts,
    Instant startedAt) {

  public static final MapReduceState NEW =
      new MapReduceState(null, 0, -1, 0, 0, 0, List.of(), TokenUsage.NONE, null, 0, null);

  public MapReduceState {
    skipped = skipped == null ? List.of() : List.copyOf(skipped);
    usage = usage == null ? TokenUsage.NONE : usage;
  }

  MapReduceState registered(MapReduceRegistration with) {
    int total = level == 0 ? with.spec().chunksTotal() : expected;
    return new MapReduceState(
        with,
        level,
        total,
        done,
        mapCalls,
        reduceCalls,
        skipped,
        usage,
        costUsd,
        attempts,
        startedAt);
  }

  MapReduceState started(Instant at) {
    return startedAt != null || at == null
        ? this
        : new MapReduceState(
            registration,
            level,
            expected,
            done,
            mapCalls,
            reduceCalls,
            skipped,
            usage,
            costUsd,
            attempts,
            at);
  }

  /** One more call of the current level ended (and its cost counted). */
  MapReduceState ended(int callLevel, TokenUsage used, BigDecimal cost, int calls, Integer skip) {
    List<Integer> skips = new ArrayList<>(skipped);
    if (skip != null) {
      skips.add(skip);
    }
    return new MapReduceState(
        registration,
        level,
        expected,
        done + 1,
        mapCalls + (callLevel == 0 ? 1 : 0),
        reduceCalls + (callLevel > 0 ? 1 : 0),
        skips,
        usage.plus(used == null ? TokenUsage.NONE : used),
        cost == null ? costUsd : costUsd == null ? cost : costUsd.add(cost),
        attempts + calls,
        startedAt);
  }

  MapReduceState nextLevel(int calls) {
    return new MapReduceState(
        registration,
        level + 1,
        calls,
        0,
        mapCalls,
        reduceCalls,
        skipped,
        usage,
        costUsd,
        attempts,
        startedAt);
  }

  /** Whether every call of the current level has ended (and the job is registered). */
  boolean levelComplete() {
    return registration != null && expected >= 0 && done >= expected;
  }
}
