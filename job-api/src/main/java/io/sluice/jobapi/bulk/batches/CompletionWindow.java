package io.sluice.jobapi.bulk.batches;

import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A batch's {@code completion_window}: OpenAI's {@code 24h}, and Sluice's shorter windows ({@code
 * 1h} to {@code 23h}) as an extension. {@code 24h} runs on the deferred lane (provider batch APIs,
 * half price); a shorter window runs on the realtime lanes with the window as the jobs' deadline.
 */
public record CompletionWindow(String text, Duration duration) {
  private static final Pattern HOURS = Pattern.compile("([1-9][0-9]?)h");
  public static final Duration DEFERRED = Duration.ofHours(24);

  public static Optional<CompletionWindow> parse(String text) {
    if (text == null) {
      return Optional.empty();
    }
    Matcher matcher = HOURS.matcher(text);
    if (!matcher.matches()) {
      return Optional.empty();
    }
    int hours = Integer.parseInt(matcher.group(1));
    return hours > 24
        ? Optional.empty()
        : Optional.of(new CompletionWindow(text, Duration.ofHours(hours)));
  }

  public boolean deferred() {
    return duration.compareTo(DEFERRED) >= 0;
  }
}
