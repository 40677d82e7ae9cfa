package io.sluice.simulator.internal.answer;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.schemas.json.Json;
import java.math.BigInteger;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * The deterministic answers tests can check, computed from the last user message:
 *
 * <ul>
 *   <li>{@code reverse: <text>} → the text reversed by code point
 *   <li>{@code uppercase: <text>} → the text upper-cased
 *   <li>{@code sum: <integers separated by spaces or commas>} → their decimal sum
 *   <li>{@code count occurrences of "X"} and {@code sum the numbers} over the text that follows
 *       ({@link Counting}, also as a system message)
 *   <li>a JSON schema requested → schema-valid JSON seeded by the prompt
 *   <li>anything else → pseudo-text seeded by the prompt
 * </ul>
 */
public final class Answerer {
  private static final String[] WORDS = {
    "river", "stone", "quiet", "batch", "light", "signal", "harbor", "paper", "window", "token",
    "market", "garden", "silver", "engine", "cloud", "bridge", "lantern", "orbit", "meadow",
        "copper",
    "falcon", "summit", "thread", "canvas", "echo", "delta", "marble", "forest", "compass", "ember"
  };

  private Answerer() {}

  /**
   * The full answer, before any max-tokens cut.
   *
   * @param lastUserText the last user message without its {@code #sim} line
   * @param seedText everything the pseudo-random answers are seeded by (the whole prompt)
   * @param schema the JSON schema requested, or {@code null}
   * @param jsonObject whether plain JSON output was requested without a schema
   */
  public static String answer(
      String lastUserText, String seedText, JsonNode schema, boolean jsonObject) {
    return answer(lastUserText, seedText, schema, jsonObject, false);
  }

  /**
   * The full answer; with {@code violateSchema} and a schema, JSON that violates the schema ({@link
   * SchemaViolation}).
   */
  public static String answer(
      String lastUserText,
      String seedText,
      JsonNode schema,
      boolean jsonObject,
      boolean violateSchema) {
    long seed = seedOf(seedText);
    if (schema != null && violateSchema) {
      return SchemaViolation.generate(schema, seed).toString();
    }
    if (schema != null) {
      return Json.mapper().valueToTree(SchemaValues.generate(schema, seed)).toString();
    }
    String computed = computed(lastUserText.strip());
    if (jsonObject) {
      return Json.mapper()
          .createObjectNode()
          .put("answer", computed != null ? computed : pseudoText(seed))
          .toString();
    }
    return computed != null ? computed : pseudoText(seed);
  }

  /**
   * Whether the answer is free pseudo-text (no computed answer, no JSON asked for): the answers
   * whose length may be drawn without breaking what tests check.
   */
  public static boolean isFreeText(String lastUserText, JsonNode schema, boolean jsonObject) {
    return schema == null && !jsonObject && computed(lastUserText.strip()) == null;
  }

  /**
   * Free pseudo-text seeded by the prompt, at least {@code minTokens} long (cut it with {@link
   * Tokens#truncate}): the same words as the short answers, as many as needed.
   */
  public static String longText(String seedText, int minTokens) {
    SplittableRandom random = new SplittableRandom(seedOf(seedText));
    StringBuilder out = new StringBuilder();
    int words = 0;
    while (words < minTokens) {
      String word = WORDS[random.nextInt(WORDS.length)];
      out.append(words == 0 ? capitalize(word) : word);
      out.append(random.nextInt(12) == 0 ? ". " : (random.nextInt(8) == 0 ? ", " : " "));
      words++;
    }
    return out.toString().strip();
  }

  /**
   * The prompt computed answers are read from: the last user message, preceded by a counting
   * directive given as a system message when the user message has none ({@link Counting}).
   */
  public static String instructed(List<PromptMessage> messages, String lastUserText) {
    return Counting.withInstruction(messages, lastUserText);
  }

  private static String computed(String text) {
    String counted = Counting.answer(text);
    if (counted != null) {
      return counted;
    }
    String lower = text.toLowerCase(Locale.ROOT);
    if (lower.startsWith("reverse:")) {
      return reverse(stripArgument(text, "reverse:"));
    }
    if (lower.startsWith("uppercase:")) {
      return stripArgument(text, "uppercase:").toUpperCase(Locale.ROOT);
    }
    if (lower.startsWith("sum:")) {
      return sum(stripArgument(text, "sum:"));
    }
    return null;
  }

  private static String stripArgument(String text, String prefix) {
    String rest = text.substring(prefix.length());
    return rest.startsWith(" ") ? rest.substring(1) : rest;
  }

  private static String reverse(String text) {
    int[] points = text.codePoints().toArray();
    StringBuilder out = new StringBuilder(text.length());
    for (int i = points.length - 1; i >= 0; i--) {
      out.appendCodePoint(points[i]);
    }
    return out.toString();
  }

  private static String sum(String numbers) {
    BigInteger total = BigInteger.ZERO;
    for (String part : numbers.strip().split("[\\s,]+")) {
      if (part.isEmpty()) {
        continue;
      }
      try {
        total = total.add(new BigInteger(part));
      } catch (NumberFormatException e) {
        return "cannot sum '" + part + "': not an integer";
      }
    }
    return total.toString();
  }

  private static String pseudoText(long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int words = 12 + random.nextInt(36);
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < words; i++) {
      String word = WORDS[random.nextInt(WORDS.length)];
      out.append(i == 0 ? capitalize(word) : word);
      out.append(i == words - 1 ? "." : (random.nextInt(8) == 0 ? ", " : " "));
    }
    return out.toString();
  }

  private static String capitalize(String word) {
    return Character.toUpperCase(word.charAt(0)) + word.substring(1);
  }

  /** A stable 64-bit seed of a text (FNV-1a). */
  public static long seedOf(String text) {
    long hash = 0xcbf29ce484222325L;
    for (int i = 0; i < text.length(); i++) {
      hash ^= text.charAt(i);
      hash *= 0x100000001b3L;
    }
    return hash;
  }
}
