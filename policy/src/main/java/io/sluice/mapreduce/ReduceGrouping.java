package io.sluice.mapreduce;

import io.sluice.tokens.TokenEstimator;
import java.util.ArrayList;
import java.util.List;

/**
 * Groups one level's partial answers, greedily and in order, so that each group fits one reduce
 * call: the answers' tokens plus one {@link #SEPARATOR} each stay within the call's budget ({@code
 * context − reduce instruction − max_tokens − margin}). Pure and thread-safe.
 *
 * @param budgetTokens what one reduce call holds besides its instruction and output
 * @param separatorTokens tokens of the separator that joins answers in a reduce prompt
 */
public record ReduceGrouping(long budgetTokens, long separatorTokens) {

  /** What joins the partial answers of a group in the reduce prompt. */
  public static final String SEPARATOR = "\n\n";

  public ReduceGrouping {
    if (budgetTokens < 1) {
      throw new IllegalArgumentException(
          "a reduce call must hold at least 1 token of partial answers, holds " + budgetTokens);
    }
    if (separatorTokens < 0) {
      throw new IllegalArgumentException("separator tokens must not be negative");
    }
  }

  /**
   * The grouping for a reduce call, with the separator counted by the reduce model's estimator.
   *
   * @throws MapReduceRefusal naming {@code reduce.max_tokens} when the call leaves no room at all
   */
  public static ReduceGrouping forCall(CallBudget reduceCall, TokenEstimator estimator) {
    if (reduceCall.available() < 1) {
      throw new MapReduceRefusal(
          "reduce.max_tokens",
          "a reduce call leaves no room for partial answers (" + reduceCall.describe() + ")");
    }
    return new ReduceGrouping(reduceCall.available(), estimator.countText(SEPARATOR));
  }

  /**
   * The groups of one level.
   *
   * @param level the level the answers belong to (0: map outputs), for the failure's message
   * @param tokens each answer's tokens, in order
   * @throws ReduceFailure ({@link ReduceFailure.Reason#PARTIAL_ANSWER_TOO_LARGE}) when one answer
   *     alone does not fit a call
   */
  public List<ReduceGroup> group(int level, List<Long> tokens) {
    List<ReduceGroup> groups = new ArrayList<>();
    int from = 0;
    long total = 0;
    for (int i = 0; i < tokens.size(); i++) {
      long cost = tokens.get(i) + separatorTokens;
      if (cost > budgetTokens) {
        throw tooLarge(level, i, tokens.get(i));
      }
      if (total + cost > budgetTokens) {
        groups.add(new ReduceGroup(groups.size(), from, i, total));
        from = i;
        total = 0;
      }
      total += cost;
    }
    if (from < tokens.size()) {
      groups.add(new ReduceGroup(groups.size(), from, tokens.size(), total));
    }
    return List.copyOf(groups);
  }

  /** {@link #group(int, List)} over answers. */
  public List<ReduceGroup> groupAnswers(int level, List<PartialAnswer> answers) {
    return group(level, answers.stream().map(PartialAnswer::tokens).toList());
  }

  private ReduceFailure tooLarge(int level, int index, long tokens) {
    return new ReduceFailure(
        ReduceFailure.Reason.PARTIAL_ANSWER_TOO_LARGE,
        level,
        "partial answer "
            + index
            + " of level "
            + level
            + " has "
            + tokens
            + " tokens, more than one reduce call holds ("
            + (budgetTokens - separatorTokens)
            + ")");
  }
}
