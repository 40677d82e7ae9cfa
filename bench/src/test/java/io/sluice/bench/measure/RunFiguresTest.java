package io.sluice.bench.measure;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sluice.bench.scenario.Limits;
import io.sluice.schemas.model.LimitStyle;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunFiguresTest {
  private static final Limits OPENAI =
      new Limits(LimitStyle.REQUESTS_AND_TOKENS, 500, 200_000, 0, 0);
  private static final Limits ANTHROPIC =
      new Limits(LimitStyle.REQUESTS_INPUT_AND_OUTPUT_TOKENS, 50, 0, 30_000, 8_000);

  /** One sample per second: a burst of 10 calls with 429s in the first second, then steady. */
  private static List<Sample> run(
      long requestsPerSecond, long inputPerCall, long maxTokensPerCall) {
    List<Sample> samples = new ArrayList<>();
    long requests = 0;
    long rateLimited = 0;
    for (int second = 0; second <= 70; second++) {
      if (second == 1) {
        requests += 10;
        rateLimited += 5;
      } else if (second > 1) {
        requests += requestsPerSecond;
      }
      if (second == 40) {
        rateLimited += 1;
      }
      samples.add(
          new Sample(
              second,
              requests,
              requests * inputPerCall,
              requests * 20,
              rateLimited,
              0,
              requests * maxTokensPerCall));
    }
    return samples;
  }

  @Test
  void shouldChargeOpenAiTokensAsPromptPlusMaxTokensAndNameTheBindingLimit() {
    // 1 call/s of 2,000 + 1,333 tokens = 199,980 tokens/min: 99.99 % of 200,000 TPM
    RunFigures figures = RunFigures.of(run(1, 2_000, 1_333), OPENAI, 10, 10, 10);

    assertThat(figures.steady().binding()).isEqualTo("tpm");
    assertThat(figures.steady().bindingShare()).isCloseTo(0.9999, within(1e-9));
    assertThat(figures.steady().uses().getFirst().share()).isCloseTo(60.0 / 500, within(1e-9));
    assertThat(figures.steady().usefulTokensPerMinute()).isCloseTo(60 * 2_020.0, within(1e-6));
  }

  @Test
  void shouldSplitRateLimitedCallsIntoWarmUpAndAfter() {
    RunFigures figures = RunFigures.of(run(1, 2_000, 1_000), OPENAI, 10, 10, 10);

    assertThat(figures.rateLimitedTotal()).isEqualTo(6);
    assertThat(figures.rateLimitedWarmUp()).isEqualTo(5);
    assertThat(figures.rateLimitedAfterWarmUp()).isEqualTo(1);
    assertThat(figures.series()).hasSize(7);
  }

  @Test
  void shouldCount429sAfterTheFirstMinuteAgainstEveryCallFromThen() {
    List<Sample> samples = new ArrayList<>();
    for (int second = 0; second <= 100; second++) {
      // 2 accepted calls a second; one 429 at 30 s (not counted) and three from 61 s on
      long refused = (second >= 30 ? 1 : 0) + Math.clamp(second - 60, 0, 3);
      samples.add(new Sample(second, 2L * second, 2_000L * second, 40L * second, refused, 0, 0));
    }

    RunFigures figures = RunFigures.of(samples, OPENAI, 10, 10, 10);

    // from 60 s: 80 accepted + 3 refused
    assertThat(figures.rateLimitedShareAfterFirstMinute()).isCloseTo(3.0 / 83, within(1e-9));
    assertThat(figures.rateLimitedShareOfCalls()).isCloseTo(4.0 / 204, within(1e-9));
  }

  @Test
  void shouldMeasureAnthropicInputAndOutputTokensApart() {
    // 0.25 call/s = 15/min of 2,000 input tokens = 30,000 ITPM; 20 output tokens each
    List<Sample> samples = new ArrayList<>();
    for (int second = 0; second <= 70; second += 4) {
      long calls = second / 4;
      samples.add(new Sample(second, calls, calls * 2_000, calls * 20, 0, 0, calls * 500));
    }
    RunFigures figures = RunFigures.of(samples, ANTHROPIC, 10, 10, 10);

    assertThat(figures.steady().binding()).isEqualTo("itpm");
    assertThat(figures.steady().bindingShare()).isCloseTo(1.0, within(1e-9));
    assertThat(figures.steady().uses())
        .extracting(LimitUse::limit)
        .containsExactly("rpm", "itpm", "otpm");
  }

  /**
   * A provider counting clock minutes (variant c) and a client that spends each whole minute's
   * 200,000 tokens in a burst as the minute opens: 100% of the limit over whole windows, while the
   * steady window from 30 s, which opens after a burst, reads 71%.
   */
  @Test
  void shouldMeasureAFixedWindowProviderOverItsWholeWindows() {
    Instant start = Instant.parse("2026-01-01T00:00:40Z"); // boundaries at 20, 80, 140, 200 s
    List<Sample> samples = new ArrayList<>();
    long tokens = 0;
    for (int second = 0; second <= 200; second++) {
      samples.add(new Sample(second, tokens / 200_000, tokens, 0, 0, 0, 0));
      if ((40 + second) % 60 == 0) {
        tokens += 200_000; // counted by the next sample, as the window opens
      }
    }

    WindowFigures whole =
        RunFigures.wholeWindows(samples, OPENAI, 30, start, Duration.ofMinutes(1)).orElseThrow();
    RunFigures figures = RunFigures.of(samples, OPENAI, 30, 30, 10);

    assertThat(whole.fromSeconds()).isEqualTo(80);
    assertThat(whole.toSeconds()).isEqualTo(200);
    assertThat(whole.bindingShare()).isCloseTo(1.0, within(1e-9));
    assertThat(figures.steady().bindingShare())
        .isCloseTo(400_000 / (170 / 60.0) / 200_000, within(1e-9));
  }

  @Test
  void shouldGiveNoWholeWindowFiguresForARunShorterThanAWindowPastTheWarmUp() {
    List<Sample> samples = new ArrayList<>();
    for (int second = 0; second <= 70; second++) {
      samples.add(new Sample(second, 0, 0, 0, 0, 0, 0));
    }

    assertThat(
            RunFigures.wholeWindows(
                samples, OPENAI, 30, Instant.parse("2026-01-01T00:00:40Z"), Duration.ofMinutes(1)))
        .isEmpty();
  }
}
