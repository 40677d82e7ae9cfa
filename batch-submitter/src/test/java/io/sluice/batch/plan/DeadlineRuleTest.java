package io.sluice.batch.plan;

import static io.sluice.batch.plan.DeadlineRule.Action.EXPIRE;
import static io.sluice.batch.plan.DeadlineRule.Action.FALL_BACK;
import static io.sluice.batch.plan.DeadlineRule.Action.KEEP;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.lane.DeadlinePolicy;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class DeadlineRuleTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
  private static final DeadlineRule RULE =
      new DeadlineRule(
          new DeadlinePolicy(Duration.ofHours(24), Duration.ofHours(1), Duration.ofHours(1)));

  @Test
  void shouldKeepAnItemWithoutADeadline() {
    for (ItemState state : ItemState.values()) {
      assertThat(RULE.decide(state, null, NOW)).isEqualTo(KEEP);
    }
  }

  @Test
  void shouldKeepAnItemWhileMoreThanTheRealtimeLeadIsLeft() {
    Instant deadline = NOW.plus(Duration.ofHours(1)).plusSeconds(1);

    assertThat(RULE.decide(ItemState.PENDING, deadline, NOW)).isEqualTo(KEEP);
    assertThat(RULE.decide(ItemState.IN_BATCH, deadline, NOW)).isEqualTo(KEEP);
  }

  @Test
  void shouldFallBackAPendingItemOnceTheRealtimeLeadIsLeft() {
    assertThat(RULE.decide(ItemState.PENDING, NOW.plus(Duration.ofHours(1)), NOW))
        .isEqualTo(FALL_BACK);
    assertThat(RULE.decide(ItemState.PENDING, NOW.plusSeconds(1), NOW)).isEqualTo(FALL_BACK);
  }

  @Test
  void shouldFallBackALineOfAnUnfinishedBatchOnceTheRealtimeLeadIsLeft() {
    assertThat(RULE.decide(ItemState.IN_BATCH, NOW.plus(Duration.ofMinutes(59)), NOW))
        .isEqualTo(FALL_BACK);
  }

  @Test
  void shouldExpireAPendingItemWhoseDeadlineHasPassed() {
    assertThat(RULE.decide(ItemState.PENDING, NOW, NOW)).isEqualTo(EXPIRE);
    assertThat(RULE.decide(ItemState.PENDING, NOW.minusSeconds(1), NOW)).isEqualTo(EXPIRE);
  }

  @Test
  void shouldLeaveALineOfAnUnfinishedBatchInItsBatchOnceItsDeadlineHasPassed() {
    assertThat(RULE.decide(ItemState.IN_BATCH, NOW.minusSeconds(1), NOW)).isEqualTo(KEEP);
  }

  @Test
  void shouldNeverMoveAnItemThatAlreadyFellBackOrFinished() {
    for (ItemState state :
        new ItemState[] {
          ItemState.FALLING_BACK,
          ItemState.FALLEN_BACK,
          ItemState.DONE,
          ItemState.PUBLISHED,
          ItemState.CANCELLED
        }) {
      assertThat(RULE.decide(state, NOW.plusSeconds(1), NOW)).as("%s", state).isEqualTo(KEEP);
      assertThat(RULE.decide(state, NOW.minusSeconds(1), NOW)).as("%s", state).isEqualTo(KEEP);
    }
  }

  @Test
  void shouldLookOnlyAtDeadlinesWithinTheRealtimeLead() {
    assertThat(RULE.actionableBefore(NOW)).isEqualTo(NOW.plus(Duration.ofHours(1)));
  }

  @Test
  void shouldFallBackOnlyAtTheDeadlineWhenTheLeadIsZero() {
    DeadlineRule noLead =
        new DeadlineRule(new DeadlinePolicy(Duration.ofHours(24), Duration.ZERO, Duration.ZERO));

    assertThat(noLead.decide(ItemState.IN_BATCH, NOW.plusSeconds(1), NOW)).isEqualTo(KEEP);
    assertThat(noLead.decide(ItemState.PENDING, NOW, NOW)).isEqualTo(EXPIRE);
  }
}
