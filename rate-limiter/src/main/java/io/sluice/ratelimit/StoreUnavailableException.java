package io.sluice.ratelimit;

/**
 * The shared limit store could not be reached in time (retriable). The {@link RateLimiter} handles
 * it by falling back to its local share; other callers of a {@link LimitStore} should retry later.
 */
public class StoreUnavailableException extends RuntimeException {
  private final String limitKey;

  /**
   * @param limitKey the key being read or changed, or {@code null} for a ping
   * @param message what failed
   * @param cause the storage's exception
   */
  public StoreUnavailableException(String limitKey, String message, Throwable cause) {
    super(limitKey == null ? message : message + " (limit " + limitKey + ")", cause);
    this.limitKey = limitKey;
  }

  /** The key being read or changed, or {@code null}. */
  public String limitKey() {
    return limitKey;
  }
}
