package io.sluice.bench.deferred;

import io.sluice.bench.backlog.PromptText;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One job of the nightly run: a {@code reverse:} prompt (so the simulator's answer can be checked)
 * of about {@code promptTokens} tokens, submitted with {@code mode: deferred}.
 *
 * @param index its position in the run (also the text's seed)
 * @param model the model named in the request
 * @param promptTokens the prompt's size in tokens (o200k; the instruction word adds one or two)
 * @param maxTokens the request's {@code max_tokens}
 */
public record DeferredJob(long index, String model, int promptTokens, int maxTokens) {
  static final String INSTRUCTION = "reverse: ";

  /** The {@code Idempotency-Key} of this job in run {@code run}. */
  public String idempotencyKey(String run) {
    return run + "-" + index;
  }

  /** The user message's text: the instruction and seeded single-token words. */
  public String text() {
    long words = Math.max(1, promptTokens - PromptText.overhead() - 2);
    return INSTRUCTION + PromptText.words(words, index);
  }

  /** The body of {@code POST /v1/jobs}. */
  public Map<String, Object> requestBody(String run) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("model", model);
    body.put("messages", List.of(Map.of("role", "user", "content", text())));
    body.put("max_tokens", maxTokens);
    body.put("mode", "deferred");
    body.put("priority", "bulk");
    body.put("metadata", Map.of("bench", "deferred-nightly", "run", run));
    return body;
  }

  /**
   * Whether {@code output} is the simulator's answer to {@link #text()}: the words reversed by code
   * point, possibly cut short by {@code max_tokens}.
   */
  public boolean answeredBy(String output) {
    if (output == null || output.isBlank()) {
      return false;
    }
    String full = new StringBuilder(text().substring(INSTRUCTION.length())).reverse().toString();
    return full.startsWith(output.strip());
  }
}
