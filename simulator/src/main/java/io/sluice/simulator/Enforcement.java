package io.sluice.simulator;

import io.sluice.simulator.internal.ratelimit.OtherClient;
import java.time.Duration;
import java.time.Instant;

/**
 * How a profile's limits are enforced and counted on the realtime OpenAI and Anthropic APIs: the
 * exact model Sluice's limiter mirrors ({@link #EXACT}, the default) or variants in which the
 * provider differs from it, as real providers do (see the simulator README, "Enforcement
 * variants"). Immutable: every {@code with…} method returns a copy. Everything drawn at random is
 * drawn from {@link #seed()}, so runs repeat.
 *
 * @param characterEstimate (a) OpenAI models: the token limit charges {@code ceil(characters / 4)}
 *     of the prompt plus {@code max_tokens} at admission instead of the tokenizer's count
 * @param claudeBiasMin (a) Claude models: the least share by which their tokenizer counts more
 *     tokens than o200k (0 with {@link #claudeBiasMax()} 0: o200k)
 * @param claudeBiasMax (a) the largest such share
 * @param window (b) the period the limits are enforced over: a minute's limit times {@code window /
 *     1 min} at once (60 s: the whole minute)
 * @param fixedWindow (c) a counter reset at each window boundary of the clock instead of a
 *     continuously refilling bucket
 * @param refusedCallsCharged (d) a call refused with 429 still takes its request and its tokens
 * @param outputShareMin (f) free-text answers draw their length between this share of {@code
 *     max_tokens} and {@link #outputShareMax()} (both 0: the short pseudo-text of 12–47 words)
 * @param outputShareMax (f) the largest share; above 1, a share of the answers is cut at {@code
 *     max_tokens}
 * @param otherClientShare (g) the share of every limit another client of the same account uses
 * @param seed the seed of the Claude bias, the output lengths and the other client's load
 */
public record Enforcement(
    boolean characterEstimate,
    double claudeBiasMin,
    double claudeBiasMax,
    Duration window,
    boolean fixedWindow,
    boolean refusedCallsCharged,
    double outputShareMin,
    double outputShareMax,
    double otherClientShare,
    long seed) {

  /** One minute: the window of the published limits. */
  public static final Duration MINUTE = Duration.ofMinutes(1);

  /** The model Sluice's limiter mirrors: o200k counts, refilling minute buckets, nothing else. */
  public static final Enforcement EXACT =
      new Enforcement(false, 0, 0, MINUTE, false, false, 0, 0, 0, 42);

  /** The Claude tokenizer's bias against o200k that {@link #withClaudeTokenizer()} models. */
  public static final double CLAUDE_BIAS_MIN = 0.10;

  /** The upper end of that bias. */
  public static final double CLAUDE_BIAS_MAX = 0.30;

  public Enforcement {
    if (claudeBiasMin < 0 || claudeBiasMax < claudeBiasMin || claudeBiasMax > 2) {
      throw new IllegalArgumentException(
          "the Claude tokenizer bias must satisfy 0 <= min <= max <= 2: "
              + claudeBiasMin
              + ".."
              + claudeBiasMax);
    }
    if (window == null
        || window.compareTo(Duration.ofSeconds(1)) < 0
        || window.compareTo(MINUTE) > 0
        || MINUTE.toMillis() % window.toMillis() != 0) {
      throw new IllegalArgumentException(
          "the enforcement window must divide a minute and last at least 1 s: " + window);
    }
    if (outputShareMin < 0 || outputShareMax < outputShareMin || outputShareMax > 10) {
      throw new IllegalArgumentException(
          "the output shares must satisfy 0 <= min <= max <= 10: "
              + outputShareMin
              + ".."
              + outputShareMax);
    }
    if (outputShareMax > 0 && outputShareMin <= 0) {
      throw new IllegalArgumentException(
          "the least output share must be above 0 when lengths are drawn: " + outputShareMin);
    }
    if (otherClientShare < 0 || otherClientShare >= 1) {
      throw new IllegalArgumentException(
          "the other client's share must be at least 0 and below 1: " + otherClientShare);
    }
  }

  /** (a) OpenAI models charged {@code ceil(characters / 4)} + {@code max_tokens} at admission. */
  public Enforcement withCharacterEstimate() {
    return new Enforcement(
        true,
        claudeBiasMin,
        claudeBiasMax,
        window,
        fixedWindow,
        refusedCallsCharged,
        outputShareMin,
        outputShareMax,
        otherClientShare,
        seed);
  }

  /** (a) Claude models counted {@value #CLAUDE_BIAS_MIN}–{@value #CLAUDE_BIAS_MAX} above o200k. */
  public Enforcement withClaudeTokenizer() {
    return withClaudeTokenizer(CLAUDE_BIAS_MIN, CLAUDE_BIAS_MAX);
  }

  /** (a) Claude models counted between {@code min} and {@code max} (shares) above o200k. */
  public Enforcement withClaudeTokenizer(double min, double max) {
    return new Enforcement(
        characterEstimate,
        min,
        max,
        window,
        fixedWindow,
        refusedCallsCharged,
        outputShareMin,
        outputShareMax,
        otherClientShare,
        seed);
  }

  /** (a) both: the characters-based estimate for OpenAI and the Claude tokenizer. */
  public Enforcement withProviderCounting() {
    return withCharacterEstimate().withClaudeTokenizer();
  }

  /** (b) limits enforced over this window (1 s, 10 s, …: a divisor of a minute). */
  public Enforcement withWindow(Duration value) {
    return new Enforcement(
        characterEstimate,
        claudeBiasMin,
        claudeBiasMax,
        value,
        fixedWindow,
        refusedCallsCharged,
        outputShareMin,
        outputShareMax,
        otherClientShare,
        seed);
  }

  /** (c) a counter per window, reset at the window's boundaries, instead of a refilling bucket. */
  public Enforcement withFixedWindow() {
    return new Enforcement(
        characterEstimate,
        claudeBiasMin,
        claudeBiasMax,
        window,
        true,
        refusedCallsCharged,
        outputShareMin,
        outputShareMax,
        otherClientShare,
        seed);
  }

  /** (d) refused calls take their request and tokens too. */
  public Enforcement withRefusedCallsCharged() {
    return new Enforcement(
        characterEstimate,
        claudeBiasMin,
        claudeBiasMax,
        window,
        fixedWindow,
        true,
        outputShareMin,
        outputShareMax,
        otherClientShare,
        seed);
  }

  /** (f) free-text answers as long as {@code min}–{@code max} times {@code max_tokens}. */
  public Enforcement withOutputLengths(double min, double max) {
    return new Enforcement(
        characterEstimate,
        claudeBiasMin,
        claudeBiasMax,
        window,
        fixedWindow,
        refusedCallsCharged,
        min,
        max,
        otherClientShare,
        seed);
  }

  /** (g) another client of the account using this share of every limit. */
  public Enforcement withOtherClient(double share) {
    return new Enforcement(
        characterEstimate,
        claudeBiasMin,
        claudeBiasMax,
        window,
        fixedWindow,
        refusedCallsCharged,
        outputShareMin,
        outputShareMax,
        share,
        seed);
  }

  /**
   * (g) What the other client takes from one limit between two instants of the simulator's clock: a
   * pure function of time (the load of each second is drawn from the seed, the limit and the
   * second), so a test can tell exactly what the client left in the window it measures.
   *
   * @param limit {@code requests}, {@code tokens} (OpenAI), {@code input_tokens} or {@code
   *     output_tokens} (Anthropic)
   * @param perMinute the limit per minute
   */
  public double otherClientUse(String limit, long perMinute, Instant from, Instant to) {
    return new OtherClient(otherClientShare, seed, limit, perMinute, from).use(from, to);
  }

  public Enforcement withSeed(long value) {
    return new Enforcement(
        characterEstimate,
        claudeBiasMin,
        claudeBiasMax,
        window,
        fixedWindow,
        refusedCallsCharged,
        outputShareMin,
        outputShareMax,
        otherClientShare,
        value);
  }

  /**
   * Reads a list of variants separated by commas, each applied to {@link #EXACT} in order: {@code
   * exact}, {@code character-estimate}, {@code claude-tokenizer} (or {@code
   * claude-tokenizer=0.1-0.3}), {@code provider-counting} (both), {@code window=10s} (or {@code
   * 1s}, {@code 500ms} is refused), {@code fixed-window}, {@code charge-refused}, {@code
   * output-share=0.3-1.2}, {@code other-client=0.3}, {@code seed=N}. An empty text is {@link
   * #EXACT}.
   *
   * @throws IllegalArgumentException naming the variant that cannot be read
   */
  public static Enforcement parse(String spec) {
    Enforcement result = EXACT;
    for (String part : spec.split(",")) {
      String item = part.strip();
      if (!item.isEmpty()) {
        result = result.with(item);
      }
    }
    return result;
  }

  private Enforcement with(String item) {
    int eq = item.indexOf('=');
    String name = eq < 0 ? item : item.substring(0, eq);
    String value = eq < 0 ? null : item.substring(eq + 1);
    try {
      return switch (name) {
        case "exact" -> this;
        case "character-estimate" -> withCharacterEstimate();
        case "claude-tokenizer" ->
            value == null
                ? withClaudeTokenizer()
                : withClaudeTokenizer(range(value)[0], range(value)[1]);
        case "provider-counting" -> withProviderCounting();
        case "window" -> withWindow(duration(value));
        case "fixed-window" -> withFixedWindow();
        case "charge-refused" -> withRefusedCallsCharged();
        case "output-share" -> withOutputLengths(range(value)[0], range(value)[1]);
        case "other-client" -> withOtherClient(Double.parseDouble(value));
        case "seed" -> withSeed(Long.parseLong(value));
        default -> throw new IllegalArgumentException("unknown enforcement variant '" + item + "'");
      };
    } catch (NumberFormatException | NullPointerException e) {
      throw new IllegalArgumentException("cannot read the enforcement variant '" + item + "'");
    }
  }

  private static double[] range(String value) {
    String[] ends = value.split("-");
    if (ends.length != 2) {
      throw new NumberFormatException(value);
    }
    return new double[] {Double.parseDouble(ends[0]), Double.parseDouble(ends[1])};
  }

  private static Duration duration(String value) {
    if (value.endsWith("ms")) {
      return Duration.ofMillis(Long.parseLong(value.substring(0, value.length() - 2)));
    }
    if (value.endsWith("s")) {
      return Duration.ofSeconds(Long.parseLong(value.substring(0, value.length() - 1)));
    }
    if (value.endsWith("m")) {
      return Duration.ofMinutes(Long.parseLong(value.substring(0, value.length() - 1)));
    }
    throw new NumberFormatException(value);
  }

  /** Whether Claude models are counted with the biased tokenizer. */
  public boolean claudeTokenizer() {
    return claudeBiasMax > 0;
  }

  /** Whether free-text answers draw their length. */
  public boolean drawsOutputLengths() {
    return outputShareMax > 0;
  }

  /** Whether the limits are enforced over less than a minute. */
  public boolean shortWindow() {
    return window.compareTo(MINUTE) < 0;
  }

  /** The amount of a per-minute limit that the window holds at once: at least 1. */
  public long windowCapacity(long perMinute) {
    return Math.max(1, Math.ceilDiv(perMinute * window.toMillis(), MINUTE.toMillis()));
  }
}
