package io.sluice.jobapi.budget;

/**
 * A tenant's token budgets: input plus output tokens per UTC day and per UTC month.
 *
 * @param dailyTokens the most tokens per UTC day, or {@code null} for no daily budget
 * @param monthlyTokens the most tokens per UTC month, or {@code null} for no monthly budget
 */
public record TokenBudget(Long dailyTokens, Long monthlyTokens) {
  /** The largest budget that can be set. */
  public static final long MAX_TOKENS = 1_000_000_000_000_000L;

  /** No budget at all. */
  public static final TokenBudget NONE = new TokenBudget(null, null);

  public TokenBudget {
    check(dailyTokens, "daily_tokens");
    check(monthlyTokens, "monthly_tokens");
  }

  private static void check(Long tokens, String name) {
    if (tokens != null && (tokens < 1 || tokens > MAX_TOKENS)) {
      throw new IllegalArgumentException(
          name + " must be 1 to " + MAX_TOKENS + " tokens (or none), got " + tokens);
    }
  }

  /** The limit of a period, or {@code null} for none. */
  public Long limit(BudgetPeriod period) {
    return period == BudgetPeriod.DAILY ? dailyTokens : monthlyTokens;
  }

  public boolean isNone() {
    return dailyTokens == null && monthlyTokens == null;
  }

  /** This budget with the daily limit changed ({@code null}: none). */
  public TokenBudget withDaily(Long tokens) {
    return new TokenBudget(tokens, monthlyTokens);
  }

  /** This budget with the monthly limit changed ({@code null}: none). */
  public TokenBudget withMonthly(Long tokens) {
    return new TokenBudget(dailyTokens, tokens);
  }
}
