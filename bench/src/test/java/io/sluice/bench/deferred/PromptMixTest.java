package io.sluice.bench.deferred;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class PromptMixTest {
  private static final int N = 20_000;
  private final PromptMix mix = PromptMix.nightly(42);
  private final List<DeferredJob> jobs = LongStream.range(0, N).mapToObj(mix::job).toList();

  @Test
  void shouldGiveTheSameJobForTheSameSeedAndIndex() {
    assertThat(PromptMix.nightly(42).job(123)).isEqualTo(mix.job(123));
    assertThat(PromptMix.nightly(43).job(123)).isNotEqualTo(mix.job(123));
  }

  @Test
  void shouldNameGpt4oMiniForSeventyPercentAndClaudeHaikuForTheRest() {
    double openAi = jobs.stream().filter(job -> job.model().equals("gpt-4o-mini")).count();
    double anthropic = jobs.stream().filter(job -> job.model().equals("claude-haiku-4-5")).count();
    assertThat(openAi + anthropic).isEqualTo(N);
    assertThat(openAi / N).isCloseTo(0.7, within(0.02));
  }

  @Test
  void shouldKeepPromptsWithin50To4000TokensSkewedToShortOnes() {
    assertThat(jobs).allSatisfy(job -> assertThat(job.promptTokens()).isBetween(50, 4_000));
    double short400 = jobs.stream().filter(job -> job.promptTokens() <= 400).count();
    double long1500 = jobs.stream().filter(job -> job.promptTokens() > 1_500).count();
    assertThat(short400 / N).isCloseTo(0.6, within(0.02));
    assertThat(long1500 / N).isCloseTo(0.1, within(0.02));
    double mean = jobs.stream().mapToInt(DeferredJob::promptTokens).average().orElseThrow();
    assertThat(mean).isCloseTo(PromptMix.meanPromptTokens(), within(25.0));
  }

  @Test
  void shouldAskFor100To1000OutputTokens() {
    assertThat(jobs).allSatisfy(job -> assertThat(job.maxTokens()).isBetween(100, 1_000));
    assertThat(jobs.stream().mapToInt(DeferredJob::maxTokens).min().orElseThrow()).isLessThan(110);
    assertThat(jobs.stream().mapToInt(DeferredJob::maxTokens).max().orElseThrow())
        .isGreaterThan(990);
  }
}
