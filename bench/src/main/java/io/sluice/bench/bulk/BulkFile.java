package io.sluice.bench.bulk;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * The bulk benchmark's input: an OpenAI batch file of {@code lines} chat-completion requests of
 * about 1 KB each (a system prompt, a user message of realistic support-ticket text, {@code
 * max_tokens} 64–256), the models mixed across OpenAI, Anthropic and Gemini as one file to Sluice
 * may mix them. Written as a stream; the same seed gives the same file.
 */
public final class BulkFile {
  static final List<String> MODELS =
      List.of("gpt-4o-mini", "gpt-4o-mini", "claude-haiku-4-5", "gemini-2.5-flash");
  private static final List<String> SYSTEM =
      List.of(
          "You extract structured facts from customer support tickets. Answer with the order"
              + " number, the product, the customer's request and its urgency.",
          "You summarise support conversations for the next agent in three short sentences.",
          "You classify tickets into billing, shipping, account, product defect or other.");
  private static final List<String> WORDS =
      List.of(
          "order",
          "delivery",
          "late",
          "refund",
          "package",
          "damaged",
          "account",
          "password",
          "invoice",
          "charged",
          "twice",
          "subscription",
          "cancel",
          "upgrade",
          "shipping",
          "address",
          "wrong",
          "size",
          "colour",
          "return",
          "label",
          "store",
          "credit",
          "warranty",
          "screen",
          "battery",
          "replacement",
          "tracking",
          "number",
          "weekend",
          "urgent",
          "thanks",
          "the",
          "my",
          "was",
          "and",
          "not",
          "please",
          "since",
          "Tuesday",
          "again",
          "still");
  private static final int USER_TEXT_CHARS = 760;

  private BulkFile() {}

  /** Writes the file; returns its size in bytes. */
  public static long write(Path file, int lines, long seed) {
    Random random = new Random(seed);
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (int i = 0; i < lines; i++) {
        out.write(line(random, i));
        out.write('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String line(Random random, int index) {
    return """
        {"custom_id":"req-%07d","method":"POST","url":"/v1/chat/completions",\
        "body":{"model":"%s","max_tokens":%d,"messages":[{"role":"system","content":"%s"},\
        {"role":"user","content":"Ticket %d: %s"}]}}"""
        .formatted(
            index,
            MODELS.get(random.nextInt(MODELS.size())),
            64 + random.nextInt(193),
            SYSTEM.get(random.nextInt(SYSTEM.size())),
            100_000 + index,
            text(random));
  }

  private static String text(Random random) {
    StringBuilder text = new StringBuilder(USER_TEXT_CHARS + 16);
    while (text.length() < USER_TEXT_CHARS) {
      text.append(text.isEmpty() ? "" : " ").append(WORDS.get(random.nextInt(WORDS.size())));
    }
    return text.append('.').toString();
  }
}
