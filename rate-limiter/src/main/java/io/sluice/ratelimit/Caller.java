package io.sluice.ratelimit;

import java.time.Instant;
import java.util.Objects;

/**
 * Who changes a key's state, and when.
 *
 * @param instanceId the limiter instance
 * @param now the instance's current time; every transition records it as the instance's last sign
 *     of life
 * @param inFlightCorrection calls to add to (or, negative, remove from) the instance's in-flight
 *     count, for calls it admitted or settled while it could not reach the store
 */
public record Caller(String instanceId, Instant now, int inFlightCorrection) {
  public Caller {
    Objects.requireNonNull(instanceId, "instanceId");
    Objects.requireNonNull(now, "now");
  }

  /** A caller without in-flight correction. */
  public static Caller of(String instanceId, Instant now) {
    return new Caller(instanceId, now, 0);
  }
}
