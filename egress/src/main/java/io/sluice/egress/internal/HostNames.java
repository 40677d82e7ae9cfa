package io.sluice.egress.internal;

import java.util.Locale;

/** Host names as Sluice accepts them: ASCII labels of letters, digits, '-' and '_'. */
public final class HostNames {
  private static final int MAX_LENGTH = 253;
  private static final int MAX_LABEL = 63;

  private HostNames() {}

  /** Lower case, without the one trailing dot that makes a name fully qualified. */
  public static String normalize(String host) {
    String lower = host.toLowerCase(Locale.ROOT);
    return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
  }

  /** True for a syntactically valid, already normalized host name. */
  public static boolean isValid(String name) {
    if (name.isEmpty() || name.length() > MAX_LENGTH) {
      return false;
    }
    for (String label : name.split("\\.", -1)) {
      if (label.isEmpty()
          || label.length() > MAX_LABEL
          || label.startsWith("-")
          || label.endsWith("-")
          || !label.chars().allMatch(HostNames::isNameChar)) {
        return false;
      }
    }
    return true;
  }

  private static boolean isNameChar(int c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
  }
}
