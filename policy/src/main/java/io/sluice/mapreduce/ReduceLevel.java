package io.sluice.mapreduce;

import java.util.List;

/**
 * The partial answers of one level of the reduce tree, by their tokens: level 0 holds the map
 * outputs, level {@code k} the outputs of the reduce calls over level {@code k − 1}.
 *
 * @param level its number, from 0
 * @param tokens each answer's tokens, in order
 */
public record ReduceLevel(int level, List<Long> tokens) {

  public ReduceLevel {
    if (level < 0) {
      throw new IllegalArgumentException("a level is at least 0, was " + level);
    }
    tokens = List.copyOf(tokens);
  }

  /** The level of these answers. */
  public static ReduceLevel ofAnswers(int level, List<PartialAnswer> answers) {
    return new ReduceLevel(level, answers.stream().map(PartialAnswer::tokens).toList());
  }

  /** How many answers it holds. */
  public int answers() {
    return tokens.size();
  }

  /** Their tokens together. */
  public long totalTokens() {
    return tokens.stream().mapToLong(Long::longValue).sum();
  }

  /** Whether it is the job's final answer: the one output of the last reduce call. */
  public boolean isFinal() {
    return level >= 1 && tokens.size() == 1;
  }
}
