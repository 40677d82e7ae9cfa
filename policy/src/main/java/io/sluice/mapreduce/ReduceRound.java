package io.sluice.mapreduce;

import java.util.List;

/**
 * The reduce calls that make one level of the tree from the level below.
 *
 * @param level the level their outputs form (1 for the reduce calls over the map outputs)
 * @param inputs how many partial answers they combine
 * @param groups one per call, in order
 */
public record ReduceRound(int level, int inputs, List<ReduceGroup> groups) {

  public ReduceRound {
    groups = List.copyOf(groups);
  }

  /** Reduce calls in this round. */
  public int calls() {
    return groups.size();
  }

  /** The partial-answer tokens the calls carry together (instructions not included). */
  public long carriedTokens() {
    return groups.stream().mapToLong(ReduceGroup::tokens).sum();
  }
}
