package io.sluice.lane;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.schemas.task.Lane;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DeadlinePolicyTest {
  private static final Instant DEADLINE = Instant.parse("2026-12-06T12:00:00Z");
  private final DeadlinePolicy policy =
      new DeadlinePolicy(Duration.ofHours(24), Duration.ofHours(1), Duration.ofMinutes(30));

  @Test
  void aTaskFallsBackToRealtimeOnceTheLeadBeforeItsDeadlineIsReached() {
    Instant fallBackAt = DEADLINE.minus(Duration.ofMinutes(30));
    assertThat(policy.fallBackAt(DEADLINE)).isEqualTo(fallBackAt);
    assertThat(policy.mustFallBack(DEADLINE, fallBackAt.minusMillis(1))).isFalse();
    assertThat(policy.mustFallBack(DEADLINE, fallBackAt)).isTrue();
    assertThat(policy.mustFallBack(DEADLINE, DEADLINE.plusSeconds(5))).isTrue();
  }

  @Test
  void aTaskWithoutDeadlineNeverFallsBackNorExpires() {
    Instant farFuture = Instant.parse("2999-01-01T00:00:00Z");
    assertThat(policy.mustFallBack(null, farFuture)).isFalse();
    assertThat(policy.hasExpired(null, farFuture)).isFalse();
    assertThat(policy.fallBackAt(null)).isNull();
    assertThat(policy.batchCanMeet(null, farFuture)).isTrue();
  }

  @Test
  void aJobExpiresAtItsDeadlineNotBefore() {
    assertThat(policy.hasExpired(DEADLINE, DEADLINE.minusMillis(1))).isFalse();
    assertThat(policy.hasExpired(DEADLINE, DEADLINE)).isTrue();
  }

  @Test
  void aBatchCanMeetADeadlineAtLeastTheWindowPlusTheMarginAway() {
    Instant now = DEADLINE.minus(Duration.ofHours(25));
    assertThat(policy.batchCanMeet(DEADLINE, now)).isTrue();
    assertThat(policy.batchCanMeet(DEADLINE, now.plusMillis(1))).isFalse();
  }

  @Test
  void deadlineTasksFallBackToTheStandardLane() {
    assertThat(policy.fallbackLane()).isEqualTo(Lane.STANDARD);
  }

  @Test
  void durationsAreChecked() {
    assertThatThrownBy(() -> new DeadlinePolicy(Duration.ZERO, Duration.ZERO, Duration.ZERO))
        .hasMessageContaining("batchWindow");
    assertThatThrownBy(
            () -> new DeadlinePolicy(Duration.ofHours(1), Duration.ofHours(-1), Duration.ZERO))
        .hasMessageContaining("batchMargin");
  }
}
