package io.sluice.bench.backlog;

import java.util.SplittableRandom;

/**
 * The distribution of benchmark tasks: prompts uniformly from {@code minPrompt} to {@code
 * maxPrompt} tokens, {@code max_tokens} uniformly from {@code minOutput} to {@code maxOutput}, and
 * the estimate error uniformly within ±{@code estimateError}. The same seed gives the same tasks,
 * so Sluice and the baseline see the same backlog.
 */
public record BacklogShape(
    int minPrompt, int maxPrompt, int minOutput, int maxOutput, double estimateError, long seed) {

  /** The shape: prompts of 50–4,000 tokens, {@code max_tokens} of 100–1,000. */
  public static BacklogShape realistic(double estimateError, long seed) {
    return new BacklogShape(50, 4_000, 100, 1_000, estimateError, seed);
  }

  public BacklogShape {
    if (minPrompt <= PromptText.overhead() || maxPrompt < minPrompt) {
      throw new IllegalArgumentException("bad prompt range " + minPrompt + ".." + maxPrompt);
    }
    if (minOutput < 1 || maxOutput < minOutput) {
      throw new IllegalArgumentException("bad max_tokens range " + minOutput + ".." + maxOutput);
    }
    if (estimateError < 0 || estimateError >= 1) {
      throw new IllegalArgumentException("estimateError must be in [0, 1): " + estimateError);
    }
  }

  /** The shape of the {@code index}-th task. */
  public TaskShape task(long index) {
    SplittableRandom random = new SplittableRandom(seed * 1_000_003L + index);
    long prompt = random.nextInt(minPrompt, maxPrompt + 1);
    int output = random.nextInt(minOutput, maxOutput + 1);
    double factor =
        estimateError == 0 ? 1.0 : 1.0 + random.nextDouble(-estimateError, estimateError);
    return new TaskShape(index, prompt, output, factor);
  }

  /** The mean prompt tokens. */
  public double meanPrompt() {
    return (minPrompt + maxPrompt) / 2.0;
  }

  /** The mean {@code max_tokens}. */
  public double meanOutput() {
    return (minOutput + maxOutput) / 2.0;
  }
}
