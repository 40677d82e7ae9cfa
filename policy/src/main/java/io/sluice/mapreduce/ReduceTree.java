package io.sluice.mapreduce;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * The reduce tree: level 0 holds the map outputs; each round groups a level's partial answers
 * ({@link ReduceGrouping}) and reduces every group to one answer of the next level, until one call
 * holds them all; its output is the final answer (there is always at least one reduce call). The
 * dispatcher asks {@link #nextRound} after each level completes; the estimate asks {@link #plan}
 * once with assumed output sizes. Either fails with a {@link ReduceFailure} instead of looping:
 *
 * <ul>
 *   <li>{@code DOES_NOT_CONVERGE}: a round beyond {@code maxDepth} would be needed;
 *   <li>{@code DOES_NOT_SHRINK}: a level holds as many answers as the level it combined (no group
 *       took two), or, with real outputs, as many tokens or more;
 *   <li>{@code PARTIAL_ANSWER_TOO_LARGE}: one answer alone does not fit a reduce call.
 * </ul>
 *
 * Pure and thread-safe.
 */
public final class ReduceTree {
  /** Rounds of reduce calls allowed by default: a fan-in of 2 still covers 256 map outputs. */
  public static final int DEFAULT_MAX_DEPTH = 8;

  private final ReduceGrouping grouping;
  private final int maxDepth;

  /**
   * @param grouping how one level's answers are grouped into calls
   * @param maxDepth the most rounds of reduce calls, at least 1
   */
  public ReduceTree(ReduceGrouping grouping, int maxDepth) {
    this.grouping = Objects.requireNonNull(grouping, "grouping");
    if (maxDepth < 1) {
      throw new IllegalArgumentException("the depth bound is at least 1, was " + maxDepth);
    }
    this.maxDepth = maxDepth;
  }

  /** How one level's answers are grouped into calls. */
  public ReduceGrouping grouping() {
    return grouping;
  }

  /** The most rounds of reduce calls. */
  public int maxDepth() {
    return maxDepth;
  }

  /**
   * The calls that make the next level from a completed one.
   *
   * @param current the completed level, not final
   * @param previous the level {@code current} was made from, or {@code null} for level 0
   * @throws ReduceFailure when the next level exceeds the depth bound, {@code current} is no
   *     smaller than {@code previous} in answers or in tokens, or one answer does not fit a call
   * @throws IllegalArgumentException when {@code current} is final or empty
   */
  public ReduceRound nextRound(ReduceLevel current, ReduceLevel previous) {
    requireOpen(current);
    if (previous != null && current.totalTokens() >= previous.totalTokens()) {
      throw doesNotShrink(current, previous);
    }
    return round(current, previous);
  }

  /**
   * The whole tree, before anything runs, assuming every reduce output is {@code
   * reduceOutputTokens} long (its {@code max_tokens}: an upper bound). Only a level that does not
   * lose answers counts as not shrinking here, since real outputs are usually shorter.
   *
   * @param mapOutputTokens each map output's tokens, or its assumed size
   * @throws ReduceFailure as {@link #nextRound} does
   */
  public ReducePlan plan(List<Long> mapOutputTokens, long reduceOutputTokens) {
    List<ReduceRound> rounds = new ArrayList<>();
    ReduceLevel previous = null;
    ReduceLevel current = new ReduceLevel(0, mapOutputTokens);
    while (!current.isFinal()) {
      ReduceRound round = round(current, previous);
      rounds.add(round);
      previous = current;
      current =
          new ReduceLevel(round.level(), Collections.nCopies(round.calls(), reduceOutputTokens));
    }
    return new ReducePlan(rounds);
  }

  private static void requireOpen(ReduceLevel current) {
    if (current.answers() == 0) {
      throw new IllegalArgumentException("level " + current.level() + " holds no answers");
    }
    if (current.isFinal()) {
      throw new IllegalArgumentException("level " + current.level() + " is the final answer");
    }
  }

  private ReduceRound round(ReduceLevel current, ReduceLevel previous) {
    requireOpen(current);
    if (previous != null && current.answers() >= previous.answers()) {
      throw doesNotShrink(current, previous);
    }
    if (current.level() + 1 > maxDepth) {
      throw new ReduceFailure(
          ReduceFailure.Reason.DOES_NOT_CONVERGE,
          current.level(),
          "the reduce does not converge within "
              + maxDepth
              + " levels: level "
              + current.level()
              + " still holds "
              + current.answers()
              + " partial answers");
    }
    return new ReduceRound(
        current.level() + 1, current.answers(), grouping.group(current.level(), current.tokens()));
  }

  private static ReduceFailure doesNotShrink(ReduceLevel current, ReduceLevel previous) {
    return new ReduceFailure(
        ReduceFailure.Reason.DOES_NOT_SHRINK,
        current.level(),
        "the reduce outputs do not shrink: level "
            + current.level()
            + " holds "
            + current.answers()
            + " partial answers of "
            + current.totalTokens()
            + " tokens, level "
            + previous.level()
            + " held "
            + previous.answers()
            + " of "
            + previous.totalTokens());
  }
}
