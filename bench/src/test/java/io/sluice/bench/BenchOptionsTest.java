package io.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {

  @Test
  void shouldRunEveryScenarioForFiveMinutesByDefault() {
    BenchOptions options = BenchOptions.parse(new String[0]);
    assertThat(options.duration()).isEqualTo(Duration.ofMinutes(5));
    assertThat(options.scenarios()).containsExactlyElementsOf(BenchOptions.DEFAULT_SCENARIOS);
    assertThat(options.workers()).isEqualTo(3);
  }

  @Test
  void shouldRunOneMinuteOfOneProfileForASmokeRun() {
    BenchOptions options = BenchOptions.parse(new String[] {"--smoke"});
    assertThat(options.duration()).isEqualTo(Duration.ofSeconds(60));
    assertThat(options.scenarios()).containsExactly("openai-tier1");
  }

  @Test
  void shouldReadDurationsInSecondsMinutesOrIso() {
    assertThat(BenchOptions.duration("90s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(BenchOptions.duration("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(BenchOptions.duration("PT2M")).isEqualTo(Duration.ofMinutes(2));
    assertThat(BenchOptions.duration("120")).isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void shouldRunAnEnforcementVariantOnlyWhenNamed() {
    BenchOptions options =
        BenchOptions.parse(
            new String[] {
              "--scenarios", "openai-tier1-short-window,anthropic-tier1-other-client-30"
            });

    assertThat(options.scenarios())
        .containsExactly("openai-tier1-short-window", "anthropic-tier1-other-client-30");
    assertThat(BenchOptions.parse(new String[0]).scenarios())
        .doesNotContain("openai-tier1-short-window");
  }

  @Test
  void shouldRefuseAnUnknownScenarioNamingIt() {
    assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--scenarios", "nope"}))
        .hasMessageContaining("unknown scenario nope");
  }

  @Test
  void shouldNotRunTheNightlyDeferredRunUnlessNamed() {
    assertThat(BenchOptions.parse(new String[0]).scenarios()).doesNotContain(BenchOptions.NIGHTLY);
  }

  @Test
  void shouldRunOneHundredThousandNightlyJobsByDefault() {
    BenchOptions options = BenchOptions.parse(new String[] {"--scenarios", "deferred-nightly"});
    assertThat(options.scenarios()).containsExactly("deferred-nightly");
    assertThat(options.nightly()).isEqualTo(NightlyOptions.DEFAULT);
    assertThat(options.nightly().jobs()).isEqualTo(100_000);
  }

  @Test
  void shouldRunTenThousandJobsPerWebhookLoadRunUnlessToldOtherwise() {
    BenchOptions options = BenchOptions.parse(new String[] {"--scenarios", "webhooks-load"});
    assertThat(options.scenarios()).containsExactly("webhooks-load");
    assertThat(options.nightly().jobs()).isEqualTo(10_000);
    assertThat(
            BenchOptions.parse(new String[] {"--scenarios", "webhooks-load", "--jobs", "500"})
                .nightly()
                .jobs())
        .isEqualTo(500);
    assertThat(BenchOptions.parse(new String[] {}).scenarios()).doesNotContain("webhooks-load");
  }

  @Test
  void shouldReadTheNightlySizeBatchTimesAndTimeout() {
    BenchOptions options =
        BenchOptions.parse(
            new String[] {
              "--scenarios", "deferred-nightly",
              "--jobs", "2000",
              "--batch-time", "10s-1m",
              "--submit-concurrency", "8",
              "--timeout", "1h"
            });
    assertThat(options.nightly())
        .isEqualTo(
            new NightlyOptions(
                2000, 8, Duration.ofSeconds(10), Duration.ofMinutes(1), Duration.ofHours(1)));
  }

  @Test
  void shouldRefuseABatchTimeRangeThatRunsBackwards() {
    assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--batch-time", "2m-10s"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--batch-time");
  }

  @Test
  void shouldRefuseZeroJobs() {
    assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--jobs", "0"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--jobs");
  }
}
