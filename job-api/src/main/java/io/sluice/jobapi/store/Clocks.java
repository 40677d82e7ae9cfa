package io.sluice.jobapi.store;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** The current instant at the precision job-api stores and shows (milliseconds). */
public final class Clocks {
  private Clocks() {}

  public static Instant now(Clock clock) {
    return clock.instant().truncatedTo(ChronoUnit.MILLIS);
  }
}
