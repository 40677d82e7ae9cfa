package io.sluice.fallback;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a deployment's context windows, {@code model=tokens,model=tokens} (the value of {@code
 * SLUICE_CONTEXT_WINDOWS}), e.g. {@code gpt-4o-mini=128000,claude-haiku-4-5=200000}: a prompt too
 * long for one model falls back only to a chain entry whose window is known and larger.
 */
public final class ContextWindows {
  /** The environment variable the windows are read from. */
  public static final String ENVIRONMENT_VARIABLE = "SLUICE_CONTEXT_WINDOWS";

  private ContextWindows() {}

  /**
   * Provider model → its context window in tokens; blank or {@code null} is none.
   *
   * @throws IllegalArgumentException naming {@link #ENVIRONMENT_VARIABLE} and the bad entry
   */
  public static Map<String, Long> parse(String spec) {
    Map<String, Long> windows = new LinkedHashMap<>();
    if (spec == null || spec.isBlank()) {
      return windows;
    }
    for (String entry : spec.split(",")) {
      if (entry.isBlank()) {
        continue;
      }
      int equals = entry.indexOf('=');
      String model = equals < 0 ? "" : entry.substring(0, equals).strip();
      long tokens = equals < 0 ? 0 : tokens(entry.substring(equals + 1).strip());
      if (model.isEmpty() || tokens < 1) {
        throw new IllegalArgumentException(
            ENVIRONMENT_VARIABLE
                + ": '"
                + entry.strip()
                + "' is not model=tokens with a positive whole number");
      }
      windows.put(model, tokens);
    }
    return windows;
  }

  private static long tokens(String text) {
    try {
      return Long.parseLong(text);
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
