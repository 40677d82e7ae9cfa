package io.sluice.ratelimit;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock tests set and advance by hand. */
final class MutableClock extends Clock {
  static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  private volatile Instant now;

  MutableClock() {
    this(START);
  }

  MutableClock(Instant start) {
    this.now = start;
  }

  synchronized MutableClock advance(Duration duration) {
    now = now.plus(duration);
    return this;
  }

  MutableClock advanceMillis(long millis) {
    return advance(Duration.ofMillis(millis));
  }

  @Override
  public Instant instant() {
    return now;
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
