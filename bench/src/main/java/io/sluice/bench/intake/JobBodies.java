package io.sluice.bench.intake;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The intake benchmark's requests, built once before it starts: {@code POST /v1/jobs} with
 * realistic single-job bodies of about 300 bytes — a few models, a system and a user message with
 * varied prompts, {@code max_tokens} 16–128, some metadata — so the generator only copies bytes
 * while it runs. No {@code Idempotency-Key}: the bodies repeat, and a repeated key would be a
 * {@code 200} replay instead of a new job.
 */
public final class JobBodies {
  static final List<String> MODELS =
      List.of("gpt-4o-mini", "gpt-4o-mini", "gpt-4.1-mini", "claude-haiku-4-5", "gemini-2.5-flash");
  private static final List<String> SYSTEM =
      List.of(
          "You are a concise support assistant.",
          "Answer in one short paragraph.",
          "You classify customer messages.",
          "Reply in the customer's language.");
  private static final List<String> TASKS =
      List.of(
          "Summarize this ticket",
          "Classify the sentiment of",
          "Extract the order number from",
          "Translate to English",
          "Suggest a reply to",
          "reverse:");
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
          "color",
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
          "thanks");
  private static final List<String> PRIORITIES = List.of("standard", "standard", "interactive");
  private static final List<String> SOURCES = List.of("web", "email", "chat", "app");

  private JobBodies() {}

  /** {@code count} JSON bodies from {@code seed}: the same seed gives the same bodies. */
  public static List<String> bodies(int count, long seed) {
    Random random = new Random(seed);
    List<String> bodies = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      bodies.add(body(random, i));
    }
    return bodies;
  }

  private static String body(Random random, int index) {
    String prompt = pick(random, TASKS) + " " + words(random, 6 + random.nextInt(14));
    return """
        {"model":"%s","messages":[{"role":"system","content":"%s"},\
        {"role":"user","content":"%s"}],"max_tokens":%d,"priority":"%s",\
        "metadata":{"customer":"cus_%05d","ticket":"t-%07d","source":"%s"}}"""
        .formatted(
            pick(random, MODELS),
            pick(random, SYSTEM),
            prompt,
            16 + random.nextInt(113),
            pick(random, PRIORITIES),
            random.nextInt(100_000),
            index,
            pick(random, SOURCES));
  }

  private static String words(Random random, int count) {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < count; i++) {
      text.append(i == 0 ? "" : " ").append(pick(random, WORDS));
    }
    return text.toString();
  }

  private static String pick(Random random, List<String> values) {
    return values.get(random.nextInt(values.size()));
  }

  /**
   * Whole HTTP/1.1 requests for these bodies, read-only: {@code POST /v1/jobs} to {@code hostPort}
   * with the bearer key, keep-alive.
   */
  public static List<ByteBuffer> requests(List<String> bodies, String hostPort, String apiKey) {
    List<ByteBuffer> requests = new ArrayList<>(bodies.size());
    for (String body : bodies) {
      byte[] json = body.getBytes(StandardCharsets.UTF_8);
      String head =
          "POST /v1/jobs HTTP/1.1\r\n"
              + "Host: "
              + hostPort
              + "\r\nAuthorization: Bearer "
              + apiKey
              + "\r\nContent-Type: application/json\r\nContent-Length: "
              + json.length
              + "\r\n\r\n";
      byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
      ByteBuffer request = ByteBuffer.allocateDirect(headBytes.length + json.length);
      request.put(headBytes).put(json).flip();
      requests.add(request.asReadOnlyBuffer());
    }
    return List.copyOf(requests);
  }
}
