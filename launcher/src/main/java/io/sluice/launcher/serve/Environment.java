package io.sluice.launcher.serve;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Typed reads of the environment variables that configure {@code sluice serve}. Problems are
 * collected and reported together, each naming its variable.
 */
final class Environment {
  private final Map<String, String> variables;
  private final List<String> problems = new ArrayList<>();

  Environment(Map<String, String> variables) {
    this.variables = variables;
  }

  String required(String name) {
    String value = variables.get(name);
    if (value == null || value.isBlank()) {
      problems.add(name + " must be set");
      return null;
    }
    return value;
  }

  String optional(String name, String defaultValue) {
    String value = variables.get(name);
    return value == null || value.isBlank() ? defaultValue : value;
  }

  int integer(String name, int defaultValue) {
    return parsed(name, defaultValue, Integer::parseInt, "a whole number");
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
  void check() {
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("bad configuration: " + String.join("; ", problems));
    }
  }
}
