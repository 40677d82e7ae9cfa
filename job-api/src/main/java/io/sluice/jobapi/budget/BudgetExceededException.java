package io.sluice.jobapi.budget;

import java.time.Duration;
import java.time.Instant;

/**
 * A submission that does not fit the tenant's token budget (HTTP 429 {@code budget_exceeded},
 * nothing stored): names the period, its limit, what is used and reserved, what the request needed
 * and when the period resets.
 */
public final class BudgetExceededException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient BudgetStatus status;
  private final long requestedTokens;
  private final long retryAfterSeconds;

  public BudgetExceededException(BudgetStatus status, long requestedTokens, Instant now) {
    super(message(status, requestedTokens));
    this.status = status;
    this.requestedTokens = requestedTokens;
    long seconds = Duration.between(now, status.resetsAt()).toSeconds();
    boolean partial = Duration.between(now, status.resetsAt()).toNanosPart() > 0;
    this.retryAfterSeconds = Math.max(1, seconds + (partial ? 1 : 0));
  }

  private static String message(BudgetStatus status, long requested) {
    String name = status.period().wireName();
    String tail =
        requested > status.limitTokens()
            ? "; the request alone needs more than the whole budget"
            : "; it resets at " + status.resetsAt();
    return "the tenant's "
        + name
        + " token budget of "
        + status.limitTokens()
        + " tokens cannot take this request: "
        + status.usedTokens()
        + " used + "
        + status.reservedTokens()
        + " reserved, and the request is estimated at "
        + requested
        + " tokens"
        + tail;
  }

  public BudgetStatus status() {
    return status;
  }

  /** The request's estimated tokens (a bulk batch: all its lines). */
  public long requestedTokens() {
    return requestedTokens;
  }

  /** Whole seconds until the period resets, rounded up (the Retry-After header). */
  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
