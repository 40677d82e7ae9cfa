package io.sluice.mapreduce;

import java.util.Objects;

/**
 * One answer waiting to be reduced: a map call's output, or a reduce call's below the final level.
 *
 * @param text the output text
 * @param tokens its output tokens, as the provider reported them
 */
public record PartialAnswer(String text, long tokens) {

  public PartialAnswer {
    Objects.requireNonNull(text, "text");
    if (tokens < 0) {
      throw new IllegalArgumentException("tokens must not be negative, was " + tokens);
    }
  }
}
