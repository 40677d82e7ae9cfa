package io.sluice.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/**
 * A clock that tests set and move by hand, in place of sleeping: code under test takes a {@link
 * Clock} (STYLE.md, "time is injected"). Thread-safe; always UTC.
 */
public final class ManualClock extends Clock {
  /** Where a clock starts when a test does not care. */
  public static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

  private volatile Instant now;

  public ManualClock() {
    this(START);
  }

  public ManualClock(Instant start) {
    this.now = start;
  }

  /** Moves the clock forward (or back, with a negative duration). */
  public synchronized ManualClock advance(Duration duration) {
    now = now.plus(duration);
    return this;
  }

  public ManualClock advanceMillis(long millis) {
    return advance(Duration.ofMillis(millis));
  }

  /** Sets the clock to an instant. */
  public synchronized ManualClock set(Instant instant) {
    now = instant;
    return this;
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
