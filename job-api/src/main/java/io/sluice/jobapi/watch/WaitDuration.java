package io.sluice.jobapi.watch;

import io.sluice.jobapi.job.FieldError;
import io.sluice.jobapi.job.InvalidJobRequestException;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the {@code wait} query parameter: {@code 500ms}, {@code 30s}, {@code 2m}, at most 60 s. */
public final class WaitDuration {
  private static final Pattern FORMAT = Pattern.compile("(\\d{1,9})(ms|s|m)");

  private WaitDuration() {}

  /**
   * @throws InvalidJobRequestException naming {@code wait} when it is malformed or too long
   */
  public static Duration parse(String text) {
    Matcher matcher = FORMAT.matcher(text);
    if (!matcher.matches()) {
      throw invalid();
    }
    long amount = Long.parseLong(matcher.group(1));
    Duration wait =
        switch (matcher.group(2)) {
          case "ms" -> Duration.ofMillis(amount);
          case "s" -> Duration.ofSeconds(amount);
          default -> Duration.ofMinutes(amount);
        };
    if (wait.compareTo(JobWaits.MAX_WAIT) > 0) {
      throw invalid();
    }
    return wait;
  }

  private static InvalidJobRequestException invalid() {
    return InvalidJobRequestException.of(
        List.of(
            new FieldError(
                "wait",
                "must be a duration of at most "
                    + JobWaits.MAX_WAIT.toSeconds()
                    + "s, e.g. 500ms, 30s or 1m")));
  }
}
