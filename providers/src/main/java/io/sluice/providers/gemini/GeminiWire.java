package io.sluice.providers.gemini;

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
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The Gemini API's {@code generateContent} wire format: request mapping and response parsing.
 *
 * <p>System messages go to {@code systemInstruction}, {@code assistant} turns become role {@code
 * model}. A {@code response_schema} becomes {@code generationConfig.responseMimeType:
 * application/json} with {@code responseJsonSchema} (plain JSON Schema; Sluice validates the
 * output). Usage: input is {@code promptTokenCount} plus {@code toolUsePromptTokenCount}; output is
 * {@code candidatesTokenCount} plus {@code thoughtsTokenCount} (thinking is billed as output).
 */
final class GeminiWire {
  /** Finish reasons that mean the model would not answer. */
  private static final Set<String> BLOCKED =
      Set.of(
          "SAFETY",
          "RECITATION",
          "BLOCKLIST",
          "PROHIBITED_CONTENT",
          "SPII",
          "IMAGE_SAFETY",
          "LANGUAGE");

  private GeminiWire() {}

  /** {@code /v1beta/models/{model}:generateContent}; a {@code models/} prefix is accepted. */
  static String generatePath(String model) {
    String bare = model.startsWith("models/") ? model.substring("models/".length()) : model;
    String encoded = URLEncoder.encode(bare, StandardCharsets.UTF_8).replace("+", "%20");
    return "/v1beta/models/" + encoded + ":generateContent";
  }

  /** The request body for one call. */
  static ObjectNode generateRequest(CompletionSpec spec, Integer defaultMaxTokens) {
    ObjectNode body = Json.mapper().createObjectNode();
    ArrayNode contents = body.putArray("contents");
    List<String> system = new ArrayList<>();
    for (ChatMessage message : spec.messages()) {
      if ("system".equals(message.role()) || "developer".equals(message.role())) {
        system.add(message.content());
      } else {
        ObjectNode content = contents.addObject();
        content.put("role", "assistant".equals(message.role()) ? "model" : "user");
        content.putArray("parts").addObject().put("text", message.content());
      }
    }
    if (!system.isEmpty()) {
      body.putObject("systemInstruction")
          .putArray("parts")
          .addObject()
          .put("text", String.join("\n\n", system));
    }
    ObjectNode config = generationConfig(spec, defaultMaxTokens);
    if (!config.isEmpty()) {
      body.set("generationConfig", config);
    }
    return body;
  }

  private static ObjectNode generationConfig(CompletionSpec spec, Integer defaultMaxTokens) {
    ObjectNode config = Json.mapper().createObjectNode();
    Integer maxTokens = spec.maxTokens() != null ? spec.maxTokens() : defaultMaxTokens;
    if (maxTokens != null) {
      config.put("maxOutputTokens", maxTokens);
    }
    if (spec.temperature() != null) {
      config.put("temperature", spec.temperature());
    }
    if (spec.responseSchema() != null) {
      config.put("responseMimeType", "application/json");
      config.set("responseJsonSchema", spec.responseSchema());
    }
    return config;
  }

  /**
   * Reads a {@code GenerateContentResponse}: the first candidate's text parts joined (thought
   * summaries left out), usage, {@code modelVersion} and {@code responseId}. A blocked prompt or a
   * candidate stopped for safety without text is a refusal.
   */
  static ParsedCompletion parseGenerate(JsonNode body) {
    TokenUsage usage = usage(JsonFields.required(body, "usageMetadata"));
    String model = JsonFields.text(body, "modelVersion");
    String requestId = JsonFields.text(body, "responseId");
    JsonNode candidates = body.get("candidates");
    if (candidates == null || !candidates.isArray() || candidates.isEmpty()) {
      String blockReason = JsonFields.text(body.path("promptFeedback"), "blockReason");
      if (blockReason == null) {
        throw new MalformedBodyException("the response has no candidates");
      }
      return new ParsedCompletion(
          null, usage, model, "the prompt was blocked (" + blockReason + ")", requestId);
    }
    JsonNode candidate = candidates.get(0);
    String text = text(candidate.path("content").path("parts"));
    String finishReason = JsonFields.text(candidate, "finishReason");
    if (text.isEmpty() && finishReason != null && BLOCKED.contains(finishReason)) {
      return new ParsedCompletion(
          null,
          usage,
          model,
          "the model stopped without an answer (" + finishReason + ")",
          requestId);
    }
    return new ParsedCompletion(text, usage, model, null, requestId);
  }

  private static String text(JsonNode parts) {
    StringBuilder text = new StringBuilder();
    for (JsonNode part : parts) {
      if (!part.path("thought").asBoolean(false) && part.hasNonNull("text")) {
        text.append(part.path("text").asText());
      }
    }
    return text.toString();
  }

  /** Usage: prompt (+ tool-use prompt) tokens in, candidate (+ thinking) tokens out. */
  static TokenUsage usage(JsonNode usage) {
    long input =
        JsonFields.count(usage, "promptTokenCount")
            + JsonFields.count(usage, "toolUsePromptTokenCount");
    long output =
        JsonFields.count(usage, "candidatesTokenCount")
            + JsonFields.count(usage, "thoughtsTokenCount");
    return new TokenUsage(input, output);
  }
}
