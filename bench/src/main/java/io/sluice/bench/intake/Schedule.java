package io.sluice.bench.intake;

import java.time.Duration;

/**
 * When each request of an open-loop step is meant to be sent: request {@code i} at {@code start + i
 * / rate}, whatever happened to the requests before it. Times are {@link System#nanoTime()}
 * readings.
 *
 * @param startNanos the intended send time of the first request
 * @param ratePerSecond requests per second
 * @param duration how long the step offers requests
 */
public record Schedule(long startNanos, double ratePerSecond, Duration duration) {
  private static final double NANOS_PER_SECOND = 1e9;

  public Schedule {
    if (!(ratePerSecond > 0)) {
      throw new IllegalArgumentException("rate must be positive, got " + ratePerSecond);
    }
    if (!duration.isPositive()) {
      throw new IllegalArgumentException("duration must be positive, got " + duration);
    }
  }

  /** Requests in the step: those whose intended time falls before its end. */
  public long count() {
    return (long) Math.ceil(duration.toNanos() * ratePerSecond / NANOS_PER_SECOND);
  }

  /** The intended send time of request {@code index} (0-based). */
  public long intendedNanos(long index) {
    return startNanos + Math.round(index * NANOS_PER_SECOND / ratePerSecond);
  }

  /** How many requests are due at {@code nowNanos}: those intended at or before it. */
  public long dueAt(long nowNanos) {
    if (nowNanos < startNanos) {
      return 0;
    }
    long due = (long) Math.floor((nowNanos - startNanos) * ratePerSecond / NANOS_PER_SECOND) + 1;
    // rounding of intendedNanos: never count a request due before its intended time
    while (due > 0 && intendedNanos(due - 1) > nowNanos) {
      due--;
    }
    return Math.min(due, count());
  }

  /** The moment the step stops offering requests. */
  public long endNanos() {
    return startNanos + duration.toNanos();
  }
}
