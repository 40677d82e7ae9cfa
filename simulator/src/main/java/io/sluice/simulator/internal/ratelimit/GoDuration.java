package io.sluice.simulator.internal.ratelimit;

import java.math.BigDecimal;
import java.time.Duration;

/**
 * Durations written the way OpenAI's headers write them (Go's format): {@code 0s}, {@code 12ms},
 * {@code 1s}, {@code 1.5s}, {@code 6m0s}, {@code 1h2m3s}. Sub-second values are whole milliseconds
 * (rounded up); longer ones carry up to three decimals of seconds.
 */
public final class GoDuration {
  private GoDuration() {}

  public static String format(Duration duration) {
    long millis = ceilMillis(duration);
    if (millis == 0) {
      return "0s";
    }
    if (millis < 1000) {
      return millis + "ms";
    }
    long hours = millis / 3_600_000;
    long minutes = millis / 60_000 % 60;
    BigDecimal seconds = BigDecimal.valueOf(millis % 60_000, 3).stripTrailingZeros();
    String secondsText = seconds.signum() == 0 ? "0" : seconds.toPlainString();
    StringBuilder out = new StringBuilder();
    if (hours > 0) {
      out.append(hours).append('h');
    }
    if (hours > 0 || minutes > 0) {
      out.append(minutes).append('m');
    }
    return out.append(secondsText).append('s').toString();
  }

  private static long ceilMillis(Duration duration) {
    long nanos = duration.toNanos();
    return nanos <= 0 ? 0 : (nanos + 999_999) / 1_000_000;
  }
}
