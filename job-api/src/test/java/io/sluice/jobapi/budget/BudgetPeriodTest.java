package io.sluice.jobapi.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class BudgetPeriodTest {

  @Test
  void shouldCountUtcCalendarDaysAndMonths() {
    LocalDate day = BudgetPeriod.dayOf(Instant.parse("2028-02-29T23:59:59.999Z"));

    assertThat(day).isEqualTo(LocalDate.parse("2028-02-29"));
    assertThat(BudgetPeriod.DAILY.start(day)).isEqualTo(day);
    assertThat(BudgetPeriod.DAILY.resetsAt(day)).isEqualTo(Instant.parse("2028-03-01T00:00:00Z"));
    assertThat(BudgetPeriod.MONTHLY.start(day)).isEqualTo(LocalDate.parse("2028-02-01"));
    assertThat(BudgetPeriod.MONTHLY.resetsAt(LocalDate.parse("2026-12-31")))
        .isEqualTo(Instant.parse("2027-01-01T00:00:00Z"));
  }

  @Test
  void shouldSayWhenToRetryInWholeSecondsRoundedUp() {
    LocalDate day = LocalDate.parse("2026-03-10");
    BudgetStatus status =
        new BudgetStatus(BudgetPeriod.DAILY, 100L, 60, 30, day, BudgetPeriod.DAILY.resetsAt(day));

    BudgetExceededException e =
        new BudgetExceededException(status, 20, Instant.parse("2026-03-10T23:59:58.500Z"));

    assertThat(e.retryAfterSeconds()).isEqualTo(2);
    assertThat(e.getMessage())
        .isEqualTo(
            "the tenant's daily token budget of 100 tokens cannot take this request: 60 used + 30"
                + " reserved, and the request is estimated at 20 tokens; it resets at"
                + " 2026-03-11T00:00:00Z");
  }

  @Test
  void shouldRefuseBudgetsOutOfRangeNamingThem() {
    assertThatThrownBy(() -> new TokenBudget(0L, null)).hasMessageStartingWith("daily_tokens");
    assertThatThrownBy(() -> new TokenBudget(null, -1L)).hasMessageStartingWith("monthly_tokens");
    assertThat(new TokenBudget(null, null).isNone()).isTrue();
    assertThat(new TokenBudget(5L, null).withMonthly(9L).limit(BudgetPeriod.MONTHLY)).isEqualTo(9);
  }
}
