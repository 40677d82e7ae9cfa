package io.sluice.jobapi.usage;

import io.sluice.jobapi.job.FieldError;
import io.sluice.jobapi.job.InvalidJobRequestException;
import io.sluice.jobapi.usage.UsageQuery.Dimension;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads {@code GET /v1/usage}'s parameters: {@code from} and {@code to} (UTC days, {@code
 * YYYY-MM-DD}, both included; by default the 30 days up to today), {@code group_by} (a
 * comma-separated subset of {@code day}, {@code provider}, {@code model} and, for an operator's
 * key, {@code tenant}; by default day, provider and model). Every problem is reported at once, each
 * naming its parameter. Plain Java.
 */
public final class UsageQueryParser {
  /** The longest range one request may sum. */
  public static final int MAX_DAYS = 366;

  static final int DEFAULT_DAYS = 30;
  private static final Set<String> NAMES = Set.of("from", "to", "group_by");
  private static final String DIMENSIONS =
      Arrays.stream(Dimension.values()).map(Dimension::wireName).collect(Collectors.joining(", "));

  /**
   * @param today the current UTC day, for the defaults
   * @throws InvalidJobRequestException naming each bad parameter
   */
  public UsageQuery parse(String tenantId, Map<String, List<String>> parameters, LocalDate today) {
    List<FieldError> problems = new ArrayList<>();
    parameters.forEach(
        (name, values) -> {
          if (!NAMES.contains(name)) {
            problems.add(new FieldError(name, "unknown parameter; known: from, to, group_by"));
          } else if (values.size() > 1) {
            problems.add(new FieldError(name, "given more than once"));
          }
        });
    LocalDate to = day(parameters, "to", problems);
    LocalDate from = day(parameters, "from", problems);
    Set<Dimension> groupBy = groupBy(parameters, problems);
    if (to == null && from == null) {
      to = today;
    } else if (to == null) {
      to = from.plusDays(DEFAULT_DAYS - 1L);
    }
    if (from == null && to != null) {
      from = to.minusDays(DEFAULT_DAYS - 1L);
    }
    if (from != null && to != null && problems.isEmpty()) {
      if (from.isAfter(to)) {
        problems.add(new FieldError("from", "must not be after to (" + to + ")"));
      } else if (ChronoUnit.DAYS.between(from, to) + 1 > MAX_DAYS) {
        problems.add(
            new FieldError("to", "at most " + MAX_DAYS + " days from from (" + from + ")"));
      }
    }
    if (!problems.isEmpty()) {
      throw InvalidJobRequestException.of(problems);
    }
    return new UsageQuery(tenantId, from, to, groupBy);
  }

  private static LocalDate day(
      Map<String, List<String>> parameters, String name, List<FieldError> problems) {
    String text = first(parameters, name);
    if (text == null) {
      return null;
    }
    try {
      return LocalDate.parse(text);
    } catch (DateTimeParseException e) {
      problems.add(new FieldError(name, "must be a UTC day as YYYY-MM-DD"));
      return null;
    }
  }

  private static Set<Dimension> groupBy(
      Map<String, List<String>> parameters, List<FieldError> problems) {
    String text = first(parameters, "group_by");
    if (text == null) {
      return EnumSet.of(Dimension.DAY, Dimension.PROVIDER, Dimension.MODEL);
    }
    Set<Dimension> chosen = EnumSet.noneOf(Dimension.class);
    for (String part : text.split(",", -1)) {
      String name = part.strip();
      if (name.isEmpty() && text.isBlank()) {
        continue; // group_by= : one total
      }
      Dimension dimension =
          Arrays.stream(Dimension.values())
              .filter(d -> d.wireName().equals(name))
              .findFirst()
              .orElse(null);
      if (dimension == null) {
        problems.add(
            new FieldError("group_by", "'" + abbreviate(name) + "' is not one of: " + DIMENSIONS));
      } else {
        chosen.add(dimension);
      }
    }
    return chosen;
  }

  private static String first(Map<String, List<String>> parameters, String name) {
    List<String> values = parameters.get(name);
    return values == null || values.isEmpty() ? null : values.getFirst();
  }

  private static String abbreviate(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "…";
  }
}
