package io.sluice.jobapi.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class DeliveryPolicyTest {
  private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
  private static final Duration LATENCY = Duration.ofMillis(40);
  private final DeliveryPolicy policy = new DeliveryPolicy(RetrySchedule.STANDARD, () -> 0.5);

  private static AttemptResult answered(int status) {
    return AttemptResult.response(status, Optional.empty(), LATENCY);
  }

  @Test
  void shouldCountEvery2xxAsSuccessAndEndTheRunOfFailures() {
    for (int status : new int[] {200, 201, 202, 204, 299}) {
      DeliveryPolicy.Decision decision =
          policy.decide(answered(status), 3, NOW, NOW.minus(Duration.ofHours(1)));

      assertThat(decision.status()).isEqualTo(DeliveryStatus.SUCCEEDED);
      assertThat(decision.failingSince()).isNull();
      assertThat(decision.nextAttemptAt()).isNull();
    }
  }

  @Test
  void shouldCountARedirectAsAFailureToRetry() {
    DeliveryPolicy.Decision decision = policy.decide(answered(302), 1, NOW, null);

    assertThat(decision.status()).isEqualTo(DeliveryStatus.FAILED);
    assertThat(decision.nextAttemptAt()).isEqualTo(NOW.plusSeconds(5));
    assertThat(decision.failingSince()).isEqualTo(NOW);
    assertThat(answered(302).error()).contains("not followed");
  }

  @Test
  void shouldRetryServerErrorsTimeoutsAndRefusedConnections() {
    assertThat(policy.decide(answered(500), 2, NOW, NOW).nextAttemptAt())
        .isEqualTo(NOW.plus(Duration.ofMinutes(5)));
    assertThat(
            policy
                .decide(AttemptResult.noResponse("timed out", Duration.ofSeconds(15)), 1, NOW, null)
                .status())
        .isEqualTo(DeliveryStatus.FAILED);
    assertThat(policy.decide(answered(400), 1, NOW, null).status())
        .isEqualTo(DeliveryStatus.FAILED);
  }

  @Test
  void shouldKillTheDeliveryAndDisableTheEndpointOn410() {
    DeliveryPolicy.Decision decision = policy.decide(answered(410), 1, NOW, null);

    assertThat(decision.status()).isEqualTo(DeliveryStatus.DEAD);
    assertThat(decision.disableReason()).contains("410");
  }

  @Test
  void shouldPauseTheEndpointOn429And502To504() {
    for (int status : new int[] {429, 502, 503, 504}) {
      DeliveryPolicy.Decision decision = policy.decide(answered(status), 1, NOW, null);

      assertThat(decision.endpointPausedUntil()).isEqualTo(NOW.plus(DeliveryPolicy.DEFAULT_PAUSE));
      assertThat(decision.nextAttemptAt()).isEqualTo(NOW.plus(DeliveryPolicy.DEFAULT_PAUSE));
    }
    assertThat(policy.decide(answered(500), 1, NOW, null).endpointPausedUntil()).isNull();
  }

  @Test
  void shouldPauseAnEndpointThatDoesNotAnswerForTheFirstRetryDelay() {
    AttemptResult refused = AttemptResult.noResponse("connection failed", Duration.ofMillis(2));

    DeliveryPolicy.Decision decision = policy.decide(refused, 3, NOW, NOW);

    assertThat(decision.endpointPausedUntil()).isEqualTo(NOW.plusSeconds(5));
    assertThat(decision.nextAttemptAt()).isEqualTo(NOW.plus(Duration.ofMinutes(30)));
  }

  @Test
  void shouldHonourRetryAfterInSecondsAndAsAnHttpDate() {
    AttemptResult seconds = AttemptResult.response(429, Optional.of("120"), LATENCY);
    AttemptResult date =
        AttemptResult.response(503, Optional.of("Tue, 01 Dec 2026 13:00:00 GMT"), LATENCY);

    assertThat(policy.decide(seconds, 1, NOW, null).endpointPausedUntil())
        .isEqualTo(NOW.plusSeconds(120));
    assertThat(policy.decide(seconds, 1, NOW, null).nextAttemptAt())
        .isEqualTo(NOW.plusSeconds(120));
    assertThat(policy.decide(date, 1, NOW, null).endpointPausedUntil())
        .isEqualTo(NOW.plus(Duration.ofHours(1)));
  }

  @Test
  void shouldCapAPauseAtTenHours() {
    AttemptResult forever = AttemptResult.response(429, Optional.of("99999999"), LATENCY);

    assertThat(policy.decide(forever, 1, NOW, null).endpointPausedUntil())
        .isEqualTo(NOW.plus(DeliveryPolicy.MAX_PAUSE));
  }

  @Test
  void shouldDisableAnEndpointThatHasFailedForFiveDays() {
    Instant since = NOW.minus(Duration.ofDays(5));

    DeliveryPolicy.Decision decision = policy.decide(answered(500), 2, NOW, since);
    DeliveryPolicy.Decision earlier = policy.decide(answered(500), 2, NOW.minusSeconds(1), since);

    assertThat(decision.disableReason()).contains("5 days").contains(since.toString());
    assertThat(earlier.disableReason()).isNull();
    assertThat(earlier.failingSince()).isEqualTo(since);
  }

  @Test
  void shouldGiveUpWhenTheScheduleIsUsedUp() {
    DeliveryPolicy.Decision decision = policy.decide(answered(500), 14, NOW, NOW);

    assertThat(decision.status()).isEqualTo(DeliveryStatus.DEAD);
    assertThat(decision.nextAttemptAt()).isNull();
  }
}
