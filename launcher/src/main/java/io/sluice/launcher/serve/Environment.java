package io.sluice.launcher.serve;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed reads of the environment variables that configure {@code sluice serve}. Problems are
 * collected and reported together, each naming its variable.
 */
public final class Environment {
  private static final Pattern SHORT_DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  private final Map<String, String> variables;
  private final List<String> problems = new ArrayList<>();

  public Environment(Map<String, String> variables) {
    this.variables = variables;
  }

  public String required(String name) {
    String value = variables.get(name);
    if (value == null || value.isBlank()) {
      problems.add(name + " must be set");
      return null;
    }
    return value;
  }

  public String optional(String name, String defaultValue) {
    String value = variables.get(name);
    return value == null || value.isBlank() ? defaultValue : value;
  }

  int integer(String name, int defaultValue) {
    return parsed(name, defaultValue, Integer::parseInt, "a whole number");
  }

  /** A whole number from {@code min} to {@code max}; {@code defaultValue} when unset. */
  Integer integer(String name, Integer defaultValue, int min, int max) {
    return parsed(
        name,
        defaultValue,
        text -> {
          int value = Integer.parseInt(text);
          if (value < min || value > max) {
            throw new IllegalArgumentException("out of range");
          }
          return value;
        },
        "a whole number from " + min + " to " + max);
  }

  /** {@code true} or {@code false} (any case). */
  public boolean bool(String name, boolean defaultValue) {
    return parsed(name, defaultValue, Environment::parseBoolean, "true or false");
  }

  private static boolean parseBoolean(String text) {
    return switch (text.toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new IllegalArgumentException("not a boolean");
    };
  }

  /**
   * A duration as {@code 500ms}, {@code 30s}, {@code 5m}, {@code 2h} or ISO-8601 ({@code PT5M}).
   */
  Duration duration(String name, Duration defaultValue) {
    return parsed(name, defaultValue, Environment::parseDuration, "a duration like 30s, 5m or 30d");
  }

  /** Group 1 of every variable name that matches {@code pattern} in full, sorted, distinct. */
  List<String> names(Pattern pattern) {
    TreeSet<String> names = new TreeSet<>();
    for (String variable : variables.keySet()) {
      Matcher matcher = pattern.matcher(variable);
      if (matcher.matches()) {
        names.add(matcher.group(1));
      }
    }
    return List.copyOf(names);
  }

  /** Records a problem that no single variable's value explains. */
  void problem(String description) {
    problems.add(description);
  }

  static Duration parseDuration(String text) {
    Matcher matcher = SHORT_DURATION.matcher(text.toLowerCase(Locale.ROOT));
    if (!matcher.matches()) {
      return Duration.parse(text);
    }
    long amount = Long.parseLong(matcher.group(1));
    return switch (matcher.group(2)) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      case "h" -> Duration.ofHours(amount);
      default -> Duration.ofDays(amount);
    };
  }

  <T> T parsed(String name, T defaultValue, Function<String, T> parser, String expected) {
    String value = variables.get(name);
    if (value == null || value.isBlank()) {
      return defaultValue;
    }
    try {
      return parser.apply(value.strip());
    } catch (RuntimeException e) {
      problems.add(name + " must be " + expected + ", got '" + value + "'");
      return defaultValue;
    }
  }

  /** Fails with every problem found so far, if there is any. */
  public void check() {
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("bad configuration: " + String.join("; ", problems));
    }
  }
}
