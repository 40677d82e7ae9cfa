package io.sluice.jobapi.tenant;

/**
 * How many API requests a tenant may make: a steady rate and a burst (a token bucket of {@code
 * burst} tokens refilled at {@code perSecond}). Enforced per job-api instance.
 *
 * @param perSecond tokens added per second (greater than 0)
 * @param burst the bucket's size: requests allowed at once after a quiet period (at least 1)
 */
public record RequestLimit(double perSecond, int burst) {
  public static final double MAX_PER_SECOND = 1_000_000;
  public static final int MAX_BURST = 1_000_000;

  public RequestLimit {
    if (!(perSecond > 0) || perSecond > MAX_PER_SECOND) {
      throw new IllegalArgumentException(
          "requests per second must be greater than 0 and at most 1000000, got " + perSecond);
    }
    if (burst < 1 || burst > MAX_BURST) {
      throw new IllegalArgumentException("burst must be 1 to 1000000, got " + burst);
    }
  }

  /** A limit of {@code perSecond} with a burst of one second's worth (at least 1). */
  public static RequestLimit of(double perSecond) {
    return new RequestLimit(perSecond, (int) Math.max(1, Math.ceil(perSecond)));
  }

  @Override
  public String toString() {
    return perSecond + "/s, burst " + burst;
  }
}
