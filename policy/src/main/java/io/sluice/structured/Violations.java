package io.sluice.structured;

import java.util.List;

/**
 * What in an output does not satisfy a response schema, one message per problem (a JSON path and
 * what is wrong there; never the output's values), in the validator's order.
 *
 * @param messages the problems; empty when the output satisfies the schema
 */
public record Violations(List<String> messages) {
  /** The most characters {@link #summary()} gives. */
  public static final int MAX_CHARS = 1000;

  /** The most characters of one message in {@link #summary()}. */
  public static final int MAX_MESSAGE_CHARS = 200;

  /** The most messages {@link #summary()} lists. */
  public static final int MAX_MESSAGES = 10;

  private static final String ELLIPSIS = "…";

  public Violations {
    messages = List.copyOf(messages);
  }

  public static Violations of(List<String> messages) {
    return new Violations(messages);
  }

  /** One problem. */
  public static Violations of(String message) {
    return new Violations(List.of(message));
  }

  public boolean isEmpty() {
    return messages.isEmpty();
  }

  /**
   * The problems as one line, bounded: at most {@link #MAX_MESSAGES} of them, joined with {@code ";
   * "}, then {@code "(and N more)"}; at most {@link #MAX_CHARS} characters in all.
   */
  public String summary() {
    StringBuilder out = new StringBuilder();
    int listed = 0;
    for (String message : messages) {
      String next = (listed == 0 ? "" : "; ") + bound(message);
      if (listed == MAX_MESSAGES || out.length() + next.length() > MAX_CHARS - 20) {
        break;
      }
      out.append(next);
      listed++;
    }
    if (listed < messages.size()) {
      out.append(listed == 0 ? "" : " ").append("(and ").append(messages.size() - listed);
      out.append(listed == 0 ? " problems)" : " more)");
    }
    return out.toString();
  }

  /** {@code text} cut to {@link #MAX_MESSAGE_CHARS}, marked with an ellipsis when cut. */
  static String bound(String text) {
    int max = MAX_MESSAGE_CHARS;
    if (text.length() <= max) {
      return text;
    }
    int end = max - ELLIPSIS.length();
    if (Character.isHighSurrogate(text.charAt(end - 1))) {
      end--;
    }
    return text.substring(0, end) + ELLIPSIS;
  }
}
