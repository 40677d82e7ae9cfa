package io.sluice.simulator.internal.answer;

import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The answers that let map-reduce tests check a whole job exactly: an answer a test can also
 * compute from the document by itself, and that adds up across chunks.
 *
 * <ul>
 *   <li>{@code count occurrences of "X"} → the number of non-overlapping, case-sensitive
 *       occurrences of X in the text after the directive (an optional {@code :} after the closing
 *       quote is not part of the text), as a plain integer
 *   <li>{@code sum the numbers} → the sum of every integer in the text after the directive: runs of
 *       ASCII digits, negative when a {@code -} that does not follow a letter or digit precedes
 *       them ({@code "-5"} is −5, {@code "item-5"} is 5)
 * </ul>
 *
 * The directive begins the last user message (after any {@code #sim} line), or is a system message
 * on its own, and then the text is the whole last user message: a map call may carry the
 * instruction either way.
 */
final class Counting {
  private static final String COUNT = "count occurrences of \"";
  private static final String SUM = "sum the numbers";
  private static final Pattern INTEGER = Pattern.compile("(?<![A-Za-z0-9])-?[0-9]+|[0-9]+");

  private Counting() {}

  /** Whether a text begins with one of these directives. */
  static boolean isDirective(String text) {
    String lower = text.strip().toLowerCase(Locale.ROOT);
    return lower.startsWith(COUNT) || lower.startsWith(SUM);
  }

  /** The answer of a text that begins with a directive, or {@code null}. */
  static String answer(String text) {
    String stripped = text.strip();
    String lower = stripped.toLowerCase(Locale.ROOT);
    if (lower.startsWith(COUNT)) {
      return count(stripped.substring(COUNT.length()));
    }
    if (lower.startsWith(SUM)) {
      return sum(afterColon(stripped.substring(SUM.length())));
    }
    return null;
  }

  /**
   * The prompt the answer is computed from: the last user message, preceded by a system message's
   * directive when the message itself has none.
   */
  static String withInstruction(List<PromptMessage> messages, String lastUserText) {
    if (isDirective(lastUserText)) {
      return lastUserText;
    }
    for (PromptMessage message : messages) {
      boolean system = message.role().equals("system") || message.role().equals("developer");
      if (system && isDirective(message.text())) {
        return message.text().strip() + "\n" + lastUserText;
      }
    }
    return lastUserText;
  }

  private static String count(String afterQuote) {
    int close = afterQuote.indexOf('"');
    if (close < 1) {
      return "cannot count: the text to count must be a non-empty string in double quotes";
    }
    String needle = afterQuote.substring(0, close);
    String text = afterColon(afterQuote.substring(close + 1));
    long occurrences = 0;
    for (int at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + needle.length())) {
      occurrences++;
    }
    return Long.toString(occurrences);
  }

  private static String sum(String text) {
    BigInteger total = BigInteger.ZERO;
    Matcher matcher = INTEGER.matcher(text);
    while (matcher.find()) {
      total = total.add(new BigInteger(matcher.group()));
    }
    return total.toString();
  }

  private static String afterColon(String text) {
    return text.startsWith(":") ? text.substring(1) : text;
  }
}
