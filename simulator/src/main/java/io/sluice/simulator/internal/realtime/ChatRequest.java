package io.sluice.simulator.internal.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.simulator.internal.answer.PromptMessage;
import java.util.List;

/**
 * A chat call in either provider's format, reduced to what the simulator needs.
 *
 * @param model the model named in the body
 * @param messages every message, system included, as role and text
 * @param lastUserText the text of the last user message (with any {@code #sim} line)
 * @param maxTokens {@code max_tokens} / {@code max_completion_tokens}, or {@code null}
 * @param schema the JSON schema the output must follow, or {@code null}
 * @param jsonObject whether JSON output was asked for without a schema
 * @param promptTokens the prompt's tokens by the simulator's tokenizer
 */
public record ChatRequest(
    String model,
    List<PromptMessage> messages,
    String lastUserText,
    Integer maxTokens,
    JsonNode schema,
    boolean jsonObject,
    int promptTokens) {

  /** The same call with the prompt counted differently. */
  public ChatRequest withPromptTokens(int tokens) {
    return new ChatRequest(model, messages, lastUserText, maxTokens, schema, jsonObject, tokens);
  }

  /**
   * How many answers the conversation already holds (its {@code assistant} / {@code model} turns).
   */
  public int answersSoFar() {
    return (int)
        messages.stream()
            .filter(m -> m.role().equals("assistant") || m.role().equals("model"))
            .count();
  }

  /** The whole prompt as one text, the seed of pseudo-random answers. */
  public String seedText() {
    StringBuilder out = new StringBuilder(model);
    for (PromptMessage m : messages) {
      out.append('\n').append(m.role()).append(": ").append(m.text());
    }
    return out.toString();
  }
}
