package io.sluice.providers.internal;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the duration strings OpenAI puts in {@code x-ratelimit-reset-*} headers, written the way
 * Go formats durations: {@code 1s}, {@code 6m0s}, {@code 12ms}, {@code 1h2m3.5s}, {@code 250us}.
 */
public final class GoDuration {
  private static final Pattern WHOLE =
      Pattern.compile("(?:\\d+(?:\\.\\d*)?(?:h|ms|m|s|us|µs|ns))+");
  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d*)?)(h|ms|m|s|us|µs|ns)");

  private GoDuration() {}

  /** The duration, or empty when the text is not a Go duration. */
  public static Optional<Duration> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    String trimmed = text.strip();
    if (trimmed.equals("0")) {
      return Optional.of(Duration.ZERO);
    }
    if (!WHOLE.matcher(trimmed).matches()) {
      return Optional.empty();
    }
    BigDecimal nanos = BigDecimal.ZERO;
    Matcher part = PART.matcher(trimmed);
    while (part.find()) {
      nanos = nanos.add(new BigDecimal(part.group(1)).multiply(nanosPer(part.group(2))));
    }
    return Optional.of(Duration.ofNanos(nanos.longValue()));
  }

  private static BigDecimal nanosPer(String unit) {
    return BigDecimal.valueOf(
        switch (unit) {
          case "h" -> 3_600_000_000_000L;
          case "m" -> 60_000_000_000L;
          case "s" -> 1_000_000_000L;
          case "ms" -> 1_000_000L;
          case "us", "µs" -> 1_000L;
          default -> 1L;
        });
  }
}
