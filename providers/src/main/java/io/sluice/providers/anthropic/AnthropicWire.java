package io.sluice.providers.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.providers.internal.JsonFields;
import io.sluice.providers.internal.MalformedBodyException;
import io.sluice.providers.internal.ParsedCompletion;
import io.sluice.schemas.job.ChatMessage;
import io.sluice.schemas.job.CompletionSpec;
import io.sluice.schemas.job.TokenUsage;
import io.sluice.schemas.json.Json;
import java.util.ArrayList;
import java.util.List;

/**
 * Anthropic's Messages wire format: request mapping and response parsing.
 *
 * <p>Structured output: a {@code response_schema} becomes Anthropic's native structured output,
 * {@code output_config: {format: {type: json_schema, schema}}}; the answer is then a JSON text
 * block. (Models without structured outputs would need a forced tool call instead; none of the
 * catalogue's models do.)
 */
final class AnthropicWire {
  static final String MESSAGES_PATH = "/v1/messages";

  private AnthropicWire() {}

  /**
   * The request body for one call. System messages go to the top-level {@code system} (joined by
   * blank lines); {@code max_tokens} is required, so the configured default fills in.
   */
  static ObjectNode messagesRequest(CompletionSpec spec, int defaultMaxTokens) {
    ObjectNode body = Json.mapper().createObjectNode();
    body.put("model", spec.model());
    body.put("max_tokens", spec.maxTokens() != null ? spec.maxTokens() : defaultMaxTokens);
    List<String> system = new ArrayList<>();
    ArrayNode messages = body.putArray("messages");
    for (ChatMessage message : spec.messages()) {
      if ("system".equals(message.role())) {
        system.add(message.content());
      } else {
        messages.addObject().put("role", message.role()).put("content", message.content());
      }
    }
    if (!system.isEmpty()) {
      body.put("system", String.join("\n\n", system));
    }
    if (spec.temperature() != null) {
      body.put("temperature", spec.temperature());
    }
    if (spec.responseSchema() != null) {
      body.putObject("output_config")
          .putObject("format")
          .put("type", "json_schema")
          .set("schema", spec.responseSchema());
    }
    return body;
  }

  /** Reads a message: its text blocks joined; usage counts cache reads and writes as input. */
  static ParsedCompletion parseMessage(JsonNode body) {
    JsonNode content = JsonFields.required(body, "content");
    if (!content.isArray()) {
      throw new MalformedBodyException("'content' is not a list of blocks");
    }
    TokenUsage usage = usage(JsonFields.required(body, "usage"));
    String model = JsonFields.text(body, "model");
    StringBuilder text = new StringBuilder();
    for (JsonNode block : content) {
      if ("text".equals(block.path("type").asText())) {
        text.append(block.path("text").asText());
      }
    }
    if ("refusal".equals(JsonFields.text(body, "stop_reason")) && text.isEmpty()) {
      return new ParsedCompletion(null, usage, model, "the model declined to answer");
    }
    return new ParsedCompletion(text.toString(), usage, model, null);
  }

  /** Usage: {@code input_tokens} plus cache writes and reads, and {@code output_tokens}. */
  static TokenUsage usage(JsonNode usage) {
    long input =
        JsonFields.count(usage, "input_tokens")
            + JsonFields.count(usage, "cache_creation_input_tokens")
            + JsonFields.count(usage, "cache_read_input_tokens");
    return new TokenUsage(input, JsonFields.count(usage, "output_tokens"));
  }
}
