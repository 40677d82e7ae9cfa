package io.sluice.batch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.batch.plan.QueueLimits;
import io.sluice.lane.DeadlinePolicy;
import io.sluice.providers.ProviderConfig;
import io.sluice.providers.ProviderKind;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class BatchSubmitterSettingsTest {
  private static final ProviderConfig OPENAI =
      ProviderConfig.of(
          "openai", ProviderKind.OPENAI, URI.create("http://localhost:1"), "sk-test-0123456789");
  private static final ProviderConfig ANTHROPIC =
      ProviderConfig.of(
          "anthropic",
          ProviderKind.ANTHROPIC,
          URI.create("http://localhost:1"),
          "sk-test-0123456789");

  private static BatchSubmitterSettings.Builder builder() {
    return BatchSubmitterSettings.builder(
        "localhost:9092",
        BatchSubmitterSettings.Jdbc.of("jdbc:postgresql://localhost/x", "u", "p"),
        List.of(OPENAI, ANTHROPIC));
  }

  @Test
  void shouldDefaultToTheSharedDeadlinePolicyAndTierOneQueueLimits() {
    BatchSubmitterSettings settings = builder().build();

    assertThat(settings.deadlines()).isEqualTo(DeadlinePolicy.DEFAULT);
    assertThat(settings.queueLimitsFor(OPENAI)).isEqualTo(QueueLimits.OPENAI_TIER_1);
    assertThat(settings.queueLimitsFor(ANTHROPIC)).isEqualTo(QueueLimits.ANTHROPIC_TIER_1);
    assertThat(settings.refusalBackoff()).isEqualTo(Duration.ofMinutes(1));
  }

  @Test
  void shouldApplyQueueLimitsFromTextOnTopOfEachAccountsDefaults() {
    BatchSubmitterSettings settings =
        builder()
            .queueLimits(
                "openai.tokens.gpt-4.1=1_000_000, openai.creations-per-hour=50,"
                    + "anthropic.requests=20000,openai.tokens.default=unlimited")
            .build();

    QueueLimits openai = settings.queueLimitsFor(OPENAI);
    assertThat(openai.tokensFor("gpt-4.1")).isEqualTo(1_000_000);
    assertThat(openai.tokensFor("gpt-4o")).isEqualTo(90_000);
    assertThat(openai.tokensFor("o3")).isEqualTo(QueueLimits.UNLIMITED);
    assertThat(openai.creationsPerHour()).isEqualTo(50);
    assertThat(settings.queueLimitsFor(ANTHROPIC).requests()).isEqualTo(20_000);
  }

  @Test
  void shouldNameTheKeyOfABadQueueLimit() {
    assertThatThrownBy(() -> builder().queueLimits("gemini.requests=5").build())
        .hasMessageContaining("batch-submitter.queue-limits")
        .hasMessageContaining("gemini.requests=5");
    assertThatThrownBy(() -> builder().queueLimits("openai.tokens.gpt-4o=0").build())
        .hasMessageContaining("batch-submitter.queue-limits");
    assertThatThrownBy(() -> builder().queueLimits("openai.speed=5").build())
        .hasMessageContaining("unknown key");
    assertThatThrownBy(() -> builder().queueLimits("openai.requests=many").build())
        .hasMessageContaining("positive number");
  }

  @Test
  void shouldNameTheKeyOfABadDeadlineDuration() {
    assertThatThrownBy(() -> builder().deadlineRealtimeLead(Duration.ofSeconds(-1)).build())
        .hasMessageContaining("batch-submitter.deadlines.realtime-lead");
    assertThatThrownBy(() -> builder().deadlineBatchWindow(Duration.ZERO).build())
        .hasMessageContaining("batch-submitter.deadlines.batch-window");
    assertThatThrownBy(() -> builder().refusalBackoff(Duration.ZERO).build())
        .hasMessageContaining("batch-submitter.refusal-backoff");
    assertThat(builder().deadlineRealtimeLead(Duration.ofMinutes(20)).build().deadlines())
        .isEqualTo(
            new DeadlinePolicy(Duration.ofHours(24), Duration.ofHours(1), Duration.ofMinutes(20)));
  }
}
