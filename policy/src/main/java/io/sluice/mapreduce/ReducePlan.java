package io.sluice.mapreduce;

import java.util.List;

/**
 * The reduce tree planned before it runs, from the map outputs' sizes and an assumed size of every
 * reduce output: one round per level, the last with a single call whose output is the final answer.
 *
 * @param rounds in order, level 1 first
 */
public record ReducePlan(List<ReduceRound> rounds) {

  public ReducePlan {
    rounds = List.copyOf(rounds);
  }

  /** The tree's depth: rounds of reduce calls (1 when one call combines every map output). */
  public int depth() {
    return rounds.size();
  }

  /** Reduce calls in all rounds. */
  public int calls() {
    return rounds.stream().mapToInt(ReduceRound::calls).sum();
  }
}
