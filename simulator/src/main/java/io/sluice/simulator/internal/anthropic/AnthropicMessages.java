package io.sluice.simulator.internal.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.schemas.json.Json;
import io.sluice.simulator.Enforcement;
import io.sluice.simulator.Profile;
import io.sluice.simulator.internal.answer.PromptMessage;
import io.sluice.simulator.internal.answer.ProviderTokens;
import io.sluice.simulator.internal.answer.Tokens;
import io.sluice.simulator.internal.http.ApiError;
import io.sluice.simulator.internal.http.Ids;
import io.sluice.simulator.internal.http.Reply;
import io.sluice.simulator.internal.http.Request;
import io.sluice.simulator.internal.ratelimit.AnthropicLimiter;
import io.sluice.simulator.internal.ratelimit.Decision;
import io.sluice.simulator.internal.realtime.ChatRequest;
import io.sluice.simulator.internal.realtime.Completion;
import io.sluice.simulator.internal.realtime.Dialect;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The Anthropic Messages API: {@code POST /v1/messages}. */
public final class AnthropicMessages implements Dialect {
  private final Profile profile;
  private final Clock clock;
  private final String apiKey;
  private final Map<String, AnthropicLimiter> limiters = new ConcurrentHashMap<>();

  /**
   * @param apiKey the only key accepted, or {@code null} for any
   */
  public AnthropicMessages(Profile profile, Clock clock, String apiKey) {
    this.profile = profile;
    this.clock = clock;
    this.apiKey = apiKey;
  }

  @Override
  public String api() {
    return "anthropic";
  }

  @Override
  public void authenticate(Request request) {
    authenticate(request, apiKey);
  }

  /**
   * The credential and {@code anthropic-version} checks every Anthropic endpoint makes. The key
   * comes in {@code x-api-key}, or as {@code Authorization: Bearer} (which anthropic-java 3.x sends
   * for its {@code apiKey} setting).
   */
  public static void authenticate(Request request, String apiKey) {
    String key = request.header("x-api-key").or(() -> bearer(request)).orElse(null);
    if (key == null) {
      throw new ApiError(401, "authentication_error", "x-api-key header is required", null);
    }
    if (apiKey != null && !apiKey.equals(key)) {
      throw new ApiError(401, "authentication_error", "invalid x-api-key", null);
    }
    if (request.header("anthropic-version").isEmpty()) {
      throw new ApiError(
          400, "invalid_request_error", "anthropic-version: header is required", null);
    }
  }

  private static java.util.Optional<String> bearer(Request request) {
    return request
        .header("authorization")
        .filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
        .map(h -> h.substring(7).strip())
        .filter(k -> !k.isEmpty());
  }

  @Override
  public ChatRequest parse(JsonNode body, List<String> pathParams) {
    ChatRequest call = parseBody(body);
    Enforcement enforcement = profile.enforcement();
    if (!enforcement.claudeTokenizer() || !call.model().startsWith("claude")) {
      return call;
    }
    return call.withPromptTokens(
        ProviderTokens.claudePrompt(
            call.messages(),
            enforcement.claudeBiasMin(),
            enforcement.claudeBiasMax(),
            enforcement.seed()));
  }

  /** Validates a Messages body (also used for batch requests' {@code params}). */
  public static ChatRequest parseBody(JsonNode body) {
    JsonNode modelNode = body.get("model");
    if (modelNode == null || !modelNode.isTextual() || modelNode.asText().isBlank()) {
      throw ApiError.badRequest("model: Field required", "model");
    }
    JsonNode maxTokens = body.get("max_tokens");
    if (maxTokens == null || !maxTokens.isIntegralNumber() || maxTokens.asLong() < 1) {
      throw ApiError.badRequest(
          "max_tokens: Field required (an integer of at least 1)", "max_tokens");
    }
    if (body.path("stream").asBoolean(false)) {
      throw ApiError.badRequest("stream: the simulator does not support streaming", "stream");
    }
    List<PromptMessage> prompt = new ArrayList<>();
    String system = blocksText(body.get("system"), "system");
    if (!system.isEmpty()) {
      prompt.add(new PromptMessage("system", system));
    }
    String lastUser = messages(body.get("messages"), prompt);
    JsonNode schema = schema(body);
    return new ChatRequest(
        modelNode.asText(),
        prompt,
        lastUser,
        (int) Math.min(Integer.MAX_VALUE, maxTokens.asLong()),
        schema,
        false,
        Tokens.countPrompt(prompt));
  }

  private static String messages(JsonNode messages, List<PromptMessage> prompt) {
    if (messages == null || !messages.isArray() || messages.isEmpty()) {
      throw ApiError.badRequest("messages: at least one message is required", "messages");
    }
    String lastUser = "";
    for (int i = 0; i < messages.size(); i++) {
      JsonNode message = messages.get(i);
      String role = message.path("role").asText("");
      if (!role.equals("user") && !role.equals("assistant")) {
        throw ApiError.badRequest(
            "messages." + i + ".role: Input should be 'user' or 'assistant'", "messages");
      }
      JsonNode content = message.get("content");
      if (content == null || content.isNull()) {
        throw ApiError.badRequest("messages." + i + ".content: Field required", "messages");
      }
      String text = blocksText(content, "messages." + i + ".content");
      prompt.add(new PromptMessage(role, text));
      if (role.equals("user")) {
        lastUser = text;
      }
    }
    return lastUser;
  }

  private static String blocksText(JsonNode content, String where) {
    if (content == null || content.isNull()) {
      return "";
    }
    if (content.isTextual()) {
      return content.asText();
    }
    if (!content.isArray()) {
      throw ApiError.badRequest(where + ": Input should be a string or a list of blocks", where);
    }
    StringBuilder text = new StringBuilder();
    for (JsonNode block : content) {
      if (block.path("type").asText().equals("text")) {
        text.append(text.isEmpty() ? "" : "\n").append(block.path("text").asText());
      }
    }
    return text.toString();
  }

  private static JsonNode schema(JsonNode body) {
    JsonNode format = body.path("output_config").path("format");
    if (format.isMissingNode() || format.isNull()) {
      format = body.path("output_format");
    }
    if (format.isMissingNode() || format.isNull()) {
      return null;
    }
    JsonNode schema = format.get("schema");
    if (!"json_schema".equals(format.path("type").asText())
        || schema == null
        || !schema.isObject()) {
      throw ApiError.badRequest(
          "output_config.format: expected {\"type\":\"json_schema\",\"schema\":{...}}",
          "output_config");
    }
    return schema;
  }

  @Override
  public ApiError modelNotFound(String model) {
    return new ApiError(404, "not_found_error", "model: " + model, "model");
  }

  @Override
  public Decision admit(ChatRequest call, Instant now) {
    return limiter(call.model()).admit(call.promptTokens(), call.maxTokens(), now);
  }

  @Override
  public void settle(ChatRequest call, Decision decision, Completion completion, Instant now) {
    limiter(call.model()).reconcile(decision.reservation(), completion.outputTokens(), now);
  }

  @Override
  public Map<String, String> rateLimitHeaders(String model, Instant now) {
    return limiter(model).headers(now);
  }

  private AnthropicLimiter limiter(String model) {
    return limiters.computeIfAbsent(
        model,
        m -> new AnthropicLimiter(m, profile.limitsFor(m), profile.enforcement(), clock.instant()));
  }

  @Override
  public Object successBody(ChatRequest call, Completion completion, Instant now) {
    return messageBody(call, completion);
  }

  /** A {@code message} object (also used for batch results). */
  public static ObjectNode messageBody(ChatRequest call, Completion completion) {
    ObjectNode root = Json.mapper().createObjectNode();
    root.put("id", Ids.next("msg_"));
    root.put("type", "message");
    root.put("role", "assistant");
    root.put("model", call.model());
    ObjectNode text = root.putArray("content").addObject();
    text.put("type", "text");
    text.put("text", completion.text());
    root.put("stop_reason", completion.cutByMaxTokens() ? "max_tokens" : "end_turn");
    root.putNull("stop_sequence");
    ObjectNode usage = root.putObject("usage");
    usage.put("input_tokens", call.promptTokens());
    usage.put("output_tokens", completion.outputTokens());
    usage.put("cache_creation_input_tokens", 0);
    usage.put("cache_read_input_tokens", 0);
    usage.put("service_tier", "standard");
    return root;
  }

  @Override
  public Reply error(ApiError error) {
    return AnthropicErrors.reply(error);
  }

  @Override
  public ApiError rateLimited(Decision decision) {
    return new ApiError(429, "rate_limit_error", decision.message(), null);
  }

  @Override
  public int overloadedStatus() {
    return 529;
  }

  @Override
  public String requestIdHeader() {
    return "request-id";
  }
}
