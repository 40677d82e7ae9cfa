package io.sluice.jobapi.budget;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/** The periods a token budget counts: the UTC calendar day and the UTC calendar month. */
public enum BudgetPeriod {
  DAILY("daily", "day"),
  MONTHLY("monthly", "month");

  private final String wireName;
  private final String storedAs;

  BudgetPeriod(String wireName, String storedAs) {
    this.wireName = wireName;
    this.storedAs = storedAs;
  }

  /** The name in answers and errors: {@code daily} or {@code monthly}. */
  public String wireName() {
    return wireName;
  }

  /** The name in the {@code tenant_token_usage.period} column: {@code day} or {@code month}. */
  public String storedAs() {
    return storedAs;
  }

  /** The first UTC day of the period that {@code day} falls in. */
  public LocalDate start(LocalDate day) {
    return this == DAILY ? day : day.withDayOfMonth(1);
  }

  /** When the period that {@code day} falls in ends: the next period's start, 00:00 UTC. */
  public Instant resetsAt(LocalDate day) {
    LocalDate next = this == DAILY ? day.plusDays(1) : day.withDayOfMonth(1).plusMonths(1);
    return next.atStartOfDay(ZoneOffset.UTC).toInstant();
  }

  /** The UTC day of an instant. */
  public static LocalDate dayOf(Instant instant) {
    return LocalDate.ofInstant(instant, ZoneOffset.UTC);
  }
}
