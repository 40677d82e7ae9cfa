package io.sluice.providers.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.providers.ProviderKind;
import io.sluice.providers.internal.JsonFields;
import io.sluice.providers.internal.MalformedBodyException;
import io.sluice.providers.internal.ParsedCompletion;
import io.sluice.schemas.job.ChatMessage;
import io.sluice.schemas.job.CompletionSpec;
import io.sluice.schemas.job.TokenUsage;
import io.sluice.schemas.json.Json;
import java.util.regex.Pattern;

/** OpenAI's chat-completions wire format: request mapping and response parsing. */
final class OpenAiWire {
  static final String CHAT_PATH = "/v1/chat/completions";

  /** OpenAI's current name for the output cap (required by reasoning models). */
  static final String MAX_COMPLETION_TOKENS = "max_completion_tokens";

  /** The older name, which OpenAI-compatible servers understand. */
  static final String MAX_TOKENS = "max_tokens";

  private static final Pattern SCHEMA_NAME = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  private OpenAiWire() {}

  /**
   * The request body for one call. A {@code response_schema} becomes {@code response_format: {type:
   * json_schema, json_schema: {name, schema, strict: false}}}: not strict, because strict mode
   * refuses schemas that do not close every object; Sluice validates the output itself.
   *
   * @param maxTokensField {@link #MAX_COMPLETION_TOKENS} for OpenAI, {@link #MAX_TOKENS} for
   *     OpenAI-compatible servers
   */
  static ObjectNode chatRequest(
      CompletionSpec spec, Integer defaultMaxTokens, String maxTokensField) {
    ObjectNode body = Json.mapper().createObjectNode();
    body.put("model", spec.model());
    ArrayNode messages = body.putArray("messages");
    for (ChatMessage message : spec.messages()) {
      messages.addObject().put("role", message.role()).put("content", message.content());
    }
    Integer maxTokens = spec.maxTokens() != null ? spec.maxTokens() : defaultMaxTokens;
    if (maxTokens != null) {
      body.put(maxTokensField, maxTokens);
    }
    if (spec.temperature() != null) {
      body.put("temperature", spec.temperature());
    }
    if (spec.responseSchema() != null) {
      ObjectNode format = body.putObject("response_format").put("type", "json_schema");
      format
          .putObject("json_schema")
          .put("name", schemaName(spec.responseSchema()))
          .put("strict", false)
          .set("schema", spec.responseSchema());
    }
    return body;
  }

  /** Reads a chat completion: the first choice's content, usage and model. */
  static ParsedCompletion parseChat(JsonNode body) {
    JsonNode choices = JsonFields.required(body, "choices");
    if (!choices.isArray() || choices.isEmpty()) {
      throw new MalformedBodyException("the response has no choices");
    }
    JsonNode message = JsonFields.required(choices.get(0), "message");
    JsonNode usage = JsonFields.required(body, "usage");
    TokenUsage tokens =
        new TokenUsage(
            JsonFields.count(usage, "prompt_tokens"), JsonFields.count(usage, "completion_tokens"));
    String content = JsonFields.text(message, "content");
    String refusal = JsonFields.text(message, "refusal");
    if (content == null && refusal == null) {
      throw new MalformedBodyException("the first choice has neither content nor refusal");
    }
    return new ParsedCompletion(content, tokens, JsonFields.text(body, "model"), refusal);
  }

  /** The output-cap field for a provider kind. */
  static String maxTokensField(ProviderKind kind) {
    return kind == ProviderKind.OPENAI ? MAX_COMPLETION_TOKENS : MAX_TOKENS;
  }

  private static String schemaName(JsonNode schema) {
    String title = schema.path("title").asText("");
    return SCHEMA_NAME.matcher(title).matches() ? title : "response";
  }
}
