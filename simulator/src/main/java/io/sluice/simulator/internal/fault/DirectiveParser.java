package io.sluice.simulator.internal.fault;

import io.sluice.simulator.internal.answer.PromptMessage;
import java.util.List;
import java.util.Locale;

/**
 * Reads a {@code #sim} line: the first line of the last user message, when it starts with {@code
 * #sim} (any case, leading blanks allowed), followed by {@code key=value} settings and flags
 * separated by blanks or commas. When the last user message has none, the conversation's first user
 * message that has one applies ({@link #parseConversation}): a follow-up turn, such as a
 * structured-output repair prompt, keeps the conversation's directive. Unknown keys and bad values
 * are errors (a 400 to the caller), so that a typo in a test does not silently test nothing.
 */
public final class DirectiveParser {
  private static final String MARKER = "#sim";

  private DirectiveParser() {}

  /** A message split into its directive and the prompt that follows it. */
  public record Parsed(SimDirective directive, String prompt) {}

  /** Splits a message; a message without a {@code #sim} line has {@link SimDirective#NONE}. */
  public static Parsed parse(String message) {
    String text = message == null ? "" : message;
    String stripped = text.stripLeading();
    if (!isDirectiveLine(stripped)) {
      return new Parsed(SimDirective.NONE, text);
    }
    int newline = stripped.indexOf('\n');
    String line = newline < 0 ? stripped : stripped.substring(0, newline);
    String prompt = newline < 0 ? "" : stripped.substring(newline + 1);
    return new Parsed(parseLine(line.substring(MARKER.length())), prompt);
  }

  /**
   * The directive of a conversation and the prompt to answer: the last user message's directive, or
   * else that of the first user message with one; the prompt is always the last user message
   * without its directive line.
   */
  public static Parsed parseConversation(List<PromptMessage> messages, String lastUserText) {
    Parsed last = parse(lastUserText);
    if (!last.directive().equals(SimDirective.NONE)) {
      return last;
    }
    for (PromptMessage message : messages) {
      if (message.role().equals("user")) {
        SimDirective earlier = parse(message.text()).directive();
        if (!earlier.equals(SimDirective.NONE)) {
          return new Parsed(earlier, last.prompt());
        }
      }
    }
    return last;
  }

  private static boolean isDirectiveLine(String text) {
    if (!text.regionMatches(true, 0, MARKER, 0, MARKER.length())) {
      return false;
    }
    return text.length() == MARKER.length() || Character.isWhitespace(text.charAt(MARKER.length()));
  }

  private static SimDirective parseLine(String settings) {
    Builder builder = new Builder();
    for (String token : settings.strip().split("[\\s,]+")) {
      if (!token.isEmpty()) {
        apply(builder, token);
      }
    }
    return builder.build();
  }

  private static void apply(Builder b, String token) {
    int eq = token.indexOf('=');
    String key = (eq < 0 ? token : token.substring(0, eq)).toLowerCase(Locale.ROOT);
    String value = eq < 0 ? null : token.substring(eq + 1);
    switch (key) {
      case "error" -> b.errorStatus = (int) number(key, value, 100, 599);
      case "code" -> b.code = text(key, value);
      case "retry-after" -> b.retryAfterSeconds = number(key, value, 0, 86_400);
      case "retry-after-ms" -> b.retryAfterMs = number(key, value, 0, 86_400_000);
      case "retry-after-date" -> b.retryAfterDateSeconds = number(key, value, 0, 86_400);
      case "fail-first" -> b.failFirst = (int) number(key, value, 0, 1_000_000);
      case "hang" -> b.hangMs = number(key, value, 0, 3_600_000);
      case "malformed" -> b.malformed = flag(key, value);
      case "truncated" -> b.truncated = flag(key, value);
      case "reset" -> b.reset = flag(key, value);
      case "api" -> b.api = api(text(key, value));
      case "invalid-output" ->
          b.invalidOutput =
              "always".equalsIgnoreCase(value)
                  ? SimDirective.ALWAYS
                  : (int) number(key, value, 0, 1_000_000);
      default ->
          throw new DirectiveException(
              "unknown #sim setting '"
                  + key
                  + "'; known: error, code, retry-after, retry-after-ms, retry-after-date,"
                  + " fail-first, hang, malformed, truncated, reset, api, invalid-output");
    }
  }

  private static String api(String value) {
    String api = value.toLowerCase(Locale.ROOT);
    if (!List.of("openai", "anthropic", "gemini").contains(api)) {
      throw new DirectiveException("#sim api must be openai, anthropic or gemini: '" + value + "'");
    }
    return api;
  }

  private static long number(String key, String value, long min, long max) {
    String raw = text(key, value);
    try {
      long parsed = Long.parseLong(raw);
      if (parsed < min || parsed > max) {
        throw new DirectiveException(
            "#sim " + key + " must be between " + min + " and " + max + ": " + raw);
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw new DirectiveException("#sim " + key + " needs a whole number: '" + raw + "'");
    }
  }

  private static String text(String key, String value) {
    if (value == null || value.isEmpty()) {
      throw new DirectiveException("#sim " + key + " needs a value, e.g. " + key + "=...");
    }
    return value;
  }

  private static boolean flag(String key, String value) {
    if (value == null || value.equalsIgnoreCase("true")) {
      return true;
    }
    if (value.equalsIgnoreCase("false")) {
      return false;
    }
    throw new DirectiveException("#sim " + key + " is a flag: write '" + key + "' alone");
  }

  private static final class Builder {
    Integer errorStatus;
    String code;
    Long retryAfterSeconds;
    Long retryAfterMs;
    Long retryAfterDateSeconds;
    Integer failFirst;
    String api;
    Long hangMs;
    boolean malformed;
    boolean truncated;
    boolean reset;
    Integer invalidOutput;

    SimDirective build() {
      return new SimDirective(
          errorStatus,
          code,
          retryAfterSeconds,
          retryAfterMs,
          retryAfterDateSeconds,
          failFirst,
          hangMs,
          malformed,
          truncated,
          reset,
          invalidOutput,
          api);
    }
  }
}
