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
  void shouldHaveEachWorkerConsumerTakeOneRecordAtATimeUnlessToldOtherwise() {
    assertThat(BenchOptions.parse(new String[0]).recordsPerPoll()).isEqualTo(1);
    assertThat(BenchOptions.parse(new String[] {"--records-per-poll", "8"}).recordsPerPoll())
        .isEqualTo(8);
    assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--records-per-poll", "0"}))
        .hasMessageContaining("--records-per-poll must be between 1 and 500, got 0");
  }

  @Test
  void shouldRunOneMinuteOfOneProfileForASmokeRun() {
    BenchOptions options = BenchOptions.parse(new String[] {"--smoke"});
    assertThat(options.duration()).isEqualTo(Duration.ofSeconds(60));
    assertThat(options.scenarios()).containsExactly("openai-tier1");
  }

  @Test
  void shouldRunTheBaselineAfterTheSluiceSideUnlessToldOtherwise() {
    assertThat(BenchOptions.parse(new String[0]).baseline()).isEqualTo(BenchOptions.Baseline.AFTER);
    assertThat(BenchOptions.parse(new String[] {"--baseline-alongside"}).baseline())
        .isEqualTo(BenchOptions.Baseline.ALONGSIDE);
    assertThat(BenchOptions.parse(new String[] {"--no-baseline"}).baseline())
        .isEqualTo(BenchOptions.Baseline.NONE);
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
  void shouldRefuseAScenarioNamedTwiceNamingIt() {
    assertThatThrownBy(
            () ->
                BenchOptions.parse(
                    new String[] {
                      "--scenarios", "anthropic-tier1,anthropic-tier1-short-window,anthropic-tier1"
                    }))
        .hasMessageContaining("scenario anthropic-tier1 is named twice");
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
  void shouldRunTwentyFiveThousandJobsPerWebhookLoadRunUnlessToldOtherwise() {
    BenchOptions options = BenchOptions.parse(new String[] {"--scenarios", "webhooks-load"});
    assertThat(options.scenarios()).containsExactly("webhooks-load");
    assertThat(options.nightly().jobs()).isEqualTo(25_000);
    assertThat(
            BenchOptions.parse(new String[] {"--scenarios", "webhooks-load", "--jobs", "500"})
                .nightly()
                .jobs())
        .isEqualTo(500);
    assertThat(BenchOptions.parse(new String[] {}).scenarios()).doesNotContain("webhooks-load");
  }

  @Test
  void shouldRunTwentyThousandLinesAsAOneHourBatchForABulkRunUnlessToldOtherwise() {
    BenchOptions options = BenchOptions.parse(new String[] {"--scenarios", "bulk-run"});
    assertThat(options.nightly().jobs()).isEqualTo(20_000);
    assertThat(options.window()).isNull(); // the runner's own: 1h for bulk-run, 24h for intake
    BenchOptions given =
        BenchOptions.parse(
            new String[] {"--scenarios", "bulk-run", "--jobs", "5000", "--window", "4h"});
    assertThat(given.nightly().jobs()).isEqualTo(5_000);
    assertThat(given.window()).isEqualTo("4h");
    assertThat(BenchOptions.parse(new String[] {}).scenarios()).doesNotContain("bulk-run");
  }

  @Test
  void shouldRepeatTheWebhookLoadRunsThreeTimesUnlessToldOtherwise() {
    assertThat(BenchOptions.parse(new String[] {"--scenarios", "webhooks-load"}).repeats())
        .isEqualTo(3);
    assertThat(
            BenchOptions.parse(new String[] {"--scenarios", "webhooks-load", "--repeats", "2"})
                .repeats())
        .isEqualTo(2);
    assertThatThrownBy(
            () ->
                BenchOptions.parse(new String[] {"--scenarios", "webhooks-load", "--repeats", "0"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--repeats must be at least 1");
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

  @Test
  void shouldReadTheIntakeScenariosRatesAndTimes() {
    BenchOptions options =
        BenchOptions.parse(
            new String[] {
              "--scenarios", "intake", "--rates", "100, 200", "--step-duration", "10s",
              "--warm-up", "0s", "--warm-up-rate", "50", "--pause", "2s",
              "--max-connections", "64", "--request-timeout", "3s"
            });

    assertThat(options.scenarios()).containsExactly("intake");
    assertThat(options.intake().rates()).containsExactly(100, 200);
    assertThat(options.intake().stepDuration()).isEqualTo(Duration.ofSeconds(10));
    assertThat(options.intake().warmUpDuration()).isZero();
    assertThat(options.intake().warmUpRate()).isEqualTo(50);
    assertThat(options.intake().pause()).isEqualTo(Duration.ofSeconds(2));
    assertThat(options.intake().maxConnections()).isEqualTo(64);
    assertThat(options.intake().requestTimeout()).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void shouldStepTheIntakeFrom250To3000JobsPerSecondByDefault() {
    BenchOptions options = BenchOptions.parse(new String[] {"--scenarios", "intake"});

    assertThat(options.intake().rates()).containsExactly(250, 500, 1000, 1500, 2000, 2500, 3000);
    assertThat(options.intake().stepDuration()).isEqualTo(Duration.ofSeconds(30));
    assertThat(options.intake().warmUpDuration()).isEqualTo(Duration.ofSeconds(20));
    assertThat(options.intake().warmUpRate()).isEqualTo(500);
  }

  @Test
  void shouldRefuseAnIntakeRateThatIsNotPositive() {
    assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--rates", "100,0"}))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("--rates");
  }
}
