package io.sluice.batch.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class QueueLimitPolicyTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final QueueLimitPolicy POLICY = new QueueLimitPolicy(Duration.ofMinutes(1));
  private static final QueueLimits OPENAI = QueueLimits.OPENAI_TIER_1;

  private static QueueUsage tokens(long enqueued) {
    return new QueueUsage(enqueued, 0, 0, null, 0);
  }

  @Test
  void shouldKnowTheTierOneLimitsOfBothProviders() {
    assertThat(OPENAI.tokensFor("gpt-4o")).isEqualTo(90_000);
    assertThat(OPENAI.tokensFor("gpt-4o-mini")).isEqualTo(2_000_000);
    assertThat(OPENAI.tokensFor("gpt-4.1")).isEqualTo(90_000);
    assertThat(OPENAI.creationsPerHour()).isEqualTo(2_000);
    assertThat(QueueLimits.ANTHROPIC_TIER_1.requests()).isEqualTo(100_000);
    assertThat(QueueLimits.ANTHROPIC_TIER_1.tokensFor("claude-haiku-4-5"))
        .isEqualTo(QueueLimits.UNLIMITED);
  }

  @Test
  void shouldLeaveTheModelsLimitMinusWhatIsEnqueued() {
    QueueRoom room = POLICY.room(OPENAI, "gpt-4o", tokens(60_000), NOW);

    assertThat(room.tokens()).isEqualTo(30_000);
    assertThat(room.admits(30_000, 1)).isTrue();
    assertThat(room.admits(30_001, 1)).isFalse();
  }

  @Test
  void shouldLeaveNoRoomWhenTheQueueIsFullOrOverfull() {
    assertThat(POLICY.room(OPENAI, "gpt-4o", tokens(90_000), NOW).admits(1, 1)).isFalse();
    assertThat(POLICY.room(OPENAI, "gpt-4o", tokens(95_000), NOW).tokens()).isZero();
  }

  @Test
  void shouldLeaveNoRoomOnceTheHourlyBatchCreationsAreUsedUp() {
    QueueUsage usage = new QueueUsage(0, 0, 2_000, null, 0);

    assertThat(POLICY.room(OPENAI, "gpt-4o-mini", usage, NOW).isNone()).isTrue();
    assertThat(POLICY.room(OPENAI, "gpt-4o-mini", new QueueUsage(0, 0, 1_999, null, 0), NOW))
        .isNotEqualTo(QueueRoom.NONE);
  }

  @Test
  void shouldCountAnthropicRequestsAcrossTheAccount() {
    QueueRoom room =
        POLICY.room(
            QueueLimits.ANTHROPIC_TIER_1,
            "claude-haiku-4-5",
            new QueueUsage(0, 99_990, 0, null, 0),
            NOW);

    assertThat(room.admits(1_000_000, 10)).isTrue();
    assertThat(room.admits(0, 11)).isFalse();
  }

  @Test
  void shouldBackOffAfterARefusalForRoomDoublingWithEachRecentRefusal() {
    Instant refused = NOW.minusSeconds(90);

    assertThat(POLICY.room(OPENAI, "gpt-4o", new QueueUsage(0, 0, 0, refused, 1), NOW).isNone())
        .isFalse();
    assertThat(POLICY.room(OPENAI, "gpt-4o", new QueueUsage(0, 0, 0, refused, 2), NOW).isNone())
        .isTrue();
    assertThat(POLICY.backoff(1)).isEqualTo(Duration.ofMinutes(1));
    assertThat(POLICY.backoff(2)).isEqualTo(Duration.ofMinutes(2));
    assertThat(POLICY.backoff(3)).isEqualTo(Duration.ofMinutes(4));
    assertThat(POLICY.backoff(100)).isEqualTo(Duration.ofMinutes(32));
  }

  @Test
  void shouldTellAnItemThatCouldNeverFitEvenAnEmptyQueue() {
    assertThat(POLICY.fitsAlone(OPENAI, "gpt-4o", 90_000)).isTrue();
    assertThat(POLICY.fitsAlone(OPENAI, "gpt-4o", 90_001)).isFalse();
  }

  @Test
  void shouldRefuseLimitsBelowOne() {
    assertThatThrownBy(() -> new QueueLimits(Map.of("gpt-4o", 0L), 1, 1, 1))
        .hasMessageContaining("batch-submitter.queue-limits tokens.gpt-4o");
    assertThatThrownBy(() -> OPENAI.withCreationsPerHour(0))
        .hasMessageContaining("creations-per-hour");
    assertThatThrownBy(() -> new QueueLimitPolicy(Duration.ZERO))
        .hasMessageContaining("batch-submitter.refusal-backoff");
  }
}
