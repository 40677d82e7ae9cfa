package io.sluice.bench.deferred;

import java.util.SplittableRandom;

/**
 * The nightly run's realistic job mix, seeded: the same seed and index give the same job.
 *
 * <ul>
 *   <li>models: {@code openAiShare} of the jobs name {@code openAiModel}, the rest {@code
 *       anthropicModel};
 *   <li>prompts skewed to short: 60% of 50–400 tokens, 30% of 400–1,500, 10% of 1,500–4,000
 *       (uniform within each band; mean about 700);
 *   <li>{@code max_tokens} uniform in 100–1,000.
 * </ul>
 */
public record PromptMix(long seed, double openAiShare, String openAiModel, String anthropicModel) {
  static final int MIN_PROMPT = 50;
  static final int MAX_PROMPT = 4_000;
  static final int MIN_OUTPUT = 100;
  static final int MAX_OUTPUT = 1_000;

  /** The bands of prompt sizes: {@code [share, from, to]}. */
  private static final int[][] BANDS = {{60, 50, 400}, {30, 400, 1_500}, {10, 1_500, 4_000}};

  /** 70% {@code gpt-4o-mini}, 30% {@code claude-haiku-4-5}. */
  public static PromptMix nightly(long seed) {
    return new PromptMix(seed, 0.7, "gpt-4o-mini", "claude-haiku-4-5");
  }

  public PromptMix {
    if (!(openAiShare >= 0 && openAiShare <= 1)) {
      throw new IllegalArgumentException("openAiShare must be in [0, 1]: " + openAiShare);
    }
  }

  /** The {@code index}-th job. */
  public DeferredJob job(long index) {
    SplittableRandom random = new SplittableRandom(seed * 1_000_003L + index);
    String model = random.nextDouble() < openAiShare ? openAiModel : anthropicModel;
    int prompt = promptTokens(random);
    int maxTokens = random.nextInt(MIN_OUTPUT, MAX_OUTPUT + 1);
    return new DeferredJob(index, model, prompt, maxTokens);
  }

  private static int promptTokens(SplittableRandom random) {
    int pick = random.nextInt(100);
    for (int[] band : BANDS) {
      if (pick < band[0]) {
        return random.nextInt(band[1], band[2] + 1);
      }
      pick -= band[0];
    }
    throw new IllegalStateException("band shares must add up to 100");
  }

  /** The expected prompt tokens of a job of this mix. */
  public static double meanPromptTokens() {
    double mean = 0;
    for (int[] band : BANDS) {
      mean += band[0] / 100.0 * (band[1] + band[2]) / 2.0;
    }
    return mean;
  }
}
