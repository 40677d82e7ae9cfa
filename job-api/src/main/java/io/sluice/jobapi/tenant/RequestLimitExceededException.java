package io.sluice.jobapi.tenant;

/**
 * A tenant made more requests than its {@link RequestLimit} allows (HTTP 429, nothing stored).
 *
 * @see #retryAfterSeconds()
 */
public final class RequestLimitExceededException extends RuntimeException {
  private final String tenantId;
  private final long retryAfterSeconds;

  public RequestLimitExceededException(
      String tenantId, RequestLimit limit, long retryAfterSeconds) {
    super(
        "too many requests for this tenant (limit "
            + limit
            + " per API instance); retry after "
            + retryAfterSeconds
            + " s");
    this.tenantId = tenantId;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  public String tenantId() {
    return tenantId;
  }

  /** Whole seconds until a request can pass, rounded up (the Retry-After header). */
  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }
}
