package io.sluice.jobapi;

import java.util.List;

/** job-api was started with settings it cannot run with; the message names each bad setting. */
public final class InvalidSettingsException extends IllegalArgumentException {
  private final List<String> problems;

  public InvalidSettingsException(List<String> problems) {
    super("invalid job-api settings: " + String.join("; ", problems));
    this.problems = List.copyOf(problems);
  }

  public List<String> problems() {
    return problems;
  }
}
