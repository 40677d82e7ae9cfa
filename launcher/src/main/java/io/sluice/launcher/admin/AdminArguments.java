package io.sluice.launcher.admin;

import io.sluice.jobapi.budget.TokenBudget;
import io.sluice.jobapi.tenant.RequestLimit;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The values of {@code sluice admin}'s options, parsed. Each problem is an {@link
 * IllegalArgumentException} whose message names the option; the commands turn it into a usage error
 * (exit code 2).
 */
final class AdminArguments {
  private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)(m|h|d)");

  /** The value of {@code --requests-per-second} that returns a tenant to the default limit. */
  static final String DEFAULT_LIMIT = "default";

  private AdminArguments() {}

  /**
   * When a key expires: {@code --expires-in} ({@code 30d}, {@code 12h}, {@code 90m} or ISO-8601
   * such as {@code P30D}) from {@code now}, or {@code --expires-at} (RFC 3339, e.g. {@code
   * 2027-01-31T00:00:00Z}, or a date, meaning its start in UTC); empty for neither.
   */
  static Optional<Instant> expiry(String expiresIn, String expiresAt, Instant now) {
    if (expiresIn != null && expiresAt != null) {
      throw new IllegalArgumentException("give --expires-in or --expires-at, not both");
    }
    if (expiresIn != null) {
      Duration duration = duration(expiresIn);
      if (duration.isZero() || duration.isNegative()) {
        throw new IllegalArgumentException("--expires-in must be longer than 0, got " + expiresIn);
      }
      return Optional.of(now.plus(duration));
    }
    if (expiresAt != null) {
      Instant at = instant(expiresAt);
      if (!at.isAfter(now)) {
        throw new IllegalArgumentException("--expires-at must be in the future, got " + expiresAt);
      }
      return Optional.of(at);
    }
    return Optional.empty();
  }

  /**
   * A tenant's result-cache TTL: {@code default} (the deployment's, {@code null}), {@code 0} (no
   * caching), or a duration like {@code --expires-in}'s.
   */
  static Duration cacheTtl(String text) {
    String given = text.strip().toLowerCase(Locale.ROOT);
    if (given.equals(DEFAULT_LIMIT)) {
      return null;
    }
    if (given.equals("0")) {
      return Duration.ZERO;
    }
    Duration ttl;
    try {
      ttl = duration(given.toUpperCase(Locale.ROOT).startsWith("P") ? text.strip() : given);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--ttl must be a duration like 90m, 24h, 7d or P7D, 0, or 'default'; got '" + text + "'");
    }
    if (ttl.isNegative() || ttl.toSeconds() > Duration.ofDays(3650).toSeconds()) {
      throw new IllegalArgumentException("--ttl must be 0 to 3650d, got '" + text + "'");
    }
    return ttl;
  }

  private static Duration duration(String text) {
    Matcher matcher = SHORT_DURATION.matcher(text.strip().toLowerCase(Locale.ROOT));
    try {
      if (!matcher.matches()) {
        return Duration.parse(text.strip());
      }
      long amount = Long.parseLong(matcher.group(1));
      return switch (matcher.group(2)) {
        case "m" -> Duration.ofMinutes(amount);
        case "h" -> Duration.ofHours(amount);
        default -> Duration.ofDays(amount);
      };
    } catch (DateTimeParseException | ArithmeticException | NumberFormatException e) {
      throw new IllegalArgumentException(
          "--expires-in must be a duration like 30d, 12h, 90m or P30D, got '" + text + "'");
    }
  }

  private static Instant instant(String text) {
    try {
      return OffsetDateTime.parse(text.strip()).toInstant();
    } catch (DateTimeParseException notATime) {
      try {
        return LocalDate.parse(text.strip()).atStartOfDay(ZoneOffset.UTC).toInstant();
      } catch (DateTimeParseException notADate) {
        throw new IllegalArgumentException(
            "--expires-at must be a time like 2027-01-31T00:00:00Z or a date like 2027-01-31,"
                + " got '"
                + text
                + "'");
      }
    }
  }

  /**
   * A tenant's own request limit from {@code --requests-per-second} and {@code --burst}: empty when
   * neither is given; {@code Optional.of(Optional.empty())} for {@code --requests-per-second
   * default} (back to job-api's default). The burst defaults to one second's worth.
   */
  static Optional<Optional<RequestLimit>> requestLimit(String perSecond, Integer burst) {
    if (perSecond == null) {
      if (burst != null) {
        throw new IllegalArgumentException("--burst needs --requests-per-second");
      }
      return Optional.empty();
    }
    if (perSecond.strip().equalsIgnoreCase(DEFAULT_LIMIT)) {
      if (burst != null) {
        throw new IllegalArgumentException("--burst cannot go with --requests-per-second default");
      }
      return Optional.of(Optional.empty());
    }
    double rate = rate(perSecond);
    try {
      return Optional.of(
          Optional.of(burst == null ? RequestLimit.of(rate) : new RequestLimit(rate, burst)));
    } catch (IllegalArgumentException e) {
      String option = e.getMessage().startsWith("burst") ? "--burst" : "--requests-per-second";
      throw new IllegalArgumentException(option + ": " + e.getMessage());
    }
  }

  private static double rate(String text) {
    try {
      return Double.parseDouble(text.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "--requests-per-second must be a number greater than 0 (or 'default'), got '"
              + text
              + "'");
    }
  }

  /**
   * A token budget option ({@code --daily-tokens}, {@code --monthly-tokens}): empty when not given;
   * {@code Optional.of(Optional.empty())} for {@code none} (clears it).
   */
  static Optional<Optional<Long>> budgetTokens(String option, String text) {
    if (text == null) {
      return Optional.empty();
    }
    if (text.strip().equalsIgnoreCase("none")) {
      return Optional.of(Optional.empty());
    }
    try {
      long tokens = Long.parseLong(text.strip().replace("_", ""));
      if (tokens >= 1 && tokens <= TokenBudget.MAX_TOKENS) {
        return Optional.of(Optional.of(tokens));
      }
    } catch (NumberFormatException e) {
      // named below
    }
    throw new IllegalArgumentException(
        option
            + " must be a whole number of tokens from 1 to "
            + TokenBudget.MAX_TOKENS
            + ", or 'none', got '"
            + text
            + "'");
  }
}
