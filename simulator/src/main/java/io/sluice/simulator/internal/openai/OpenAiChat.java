package io.sluice.simulator.internal.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.schemas.json.Json;
import io.sluice.simulator.Profile;
import io.sluice.simulator.internal.answer.PromptMessage;
import io.sluice.simulator.internal.answer.ProviderTokens;
import io.sluice.simulator.internal.answer.Tokens;
import io.sluice.simulator.internal.http.ApiError;
import io.sluice.simulator.internal.http.Ids;
import io.sluice.simulator.internal.http.Reply;
import io.sluice.simulator.internal.http.Request;
import io.sluice.simulator.internal.ratelimit.Decision;
import io.sluice.simulator.internal.ratelimit.OpenAiLimiter;
import io.sluice.simulator.internal.realtime.ChatRequest;
import io.sluice.simulator.internal.realtime.Completion;
import io.sluice.simulator.internal.realtime.Dialect;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The OpenAI Chat Completions API: {@code POST /v1/chat/completions}. */
public final class OpenAiChat implements Dialect {
  private static final Set<String> ROLES =
      Set.of("system", "developer", "user", "assistant", "tool", "function");

  private final Profile profile;
  private final Clock clock;
  private final String apiKey;
  private final Map<String, OpenAiLimiter> limiters = new ConcurrentHashMap<>();

  /**
   * @param apiKey the only key accepted, or {@code null} for any
   */
  public OpenAiChat(Profile profile, Clock clock, String apiKey) {
    this.profile = profile;
    this.clock = clock;
    this.apiKey = apiKey;
  }

  @Override
  public String api() {
    return "openai";
  }

  @Override
  public void authenticate(Request request) {
    authenticate(request, apiKey);
  }

  /** The bearer-key check every OpenAI endpoint makes. */
  public static void authenticate(Request request, String apiKey) {
    String header = request.header("authorization").orElse("");
    if (!header.regionMatches(true, 0, "Bearer ", 0, 7) || header.substring(7).isBlank()) {
      throw new ApiError(
          401,
          null,
          "You didn't provide an API key. You need to provide your API key in an Authorization"
              + " header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
          null,
          "invalid_request_error");
    }
    if (apiKey != null && !apiKey.equals(header.substring(7).strip())) {
      throw new ApiError(
          401,
          "invalid_api_key",
          "Incorrect API key provided. You can find your API key at"
              + " https://platform.openai.com/account/api-keys.",
          null,
          "invalid_request_error");
    }
  }

  @Override
  public ChatRequest parse(JsonNode body, List<String> pathParams) {
    return parseBody(body);
  }

  /** Validates a chat completion body (also used for batch lines). */
  public static ChatRequest parseBody(JsonNode body) {
    String model = requireText(body, "model");
    JsonNode messages = body.get("messages");
    if (messages == null || !messages.isArray() || messages.isEmpty()) {
      throw ApiError.badRequest(
          "'messages' must be a non-empty array of message objects.", "messages");
    }
    if (body.path("stream").asBoolean(false)) {
      throw ApiError.badRequest("The simulator does not support stream=true.", "stream");
    }
    List<PromptMessage> prompt = new ArrayList<>();
    String lastUser = "";
    for (int i = 0; i < messages.size(); i++) {
      PromptMessage message = message(messages.get(i), i);
      prompt.add(message);
      if (message.role().equals("user")) {
        lastUser = message.text();
      }
    }
    Integer maxTokens = maxTokens(body);
    JsonNode format = body.path("response_format");
    String formatType = format.path("type").asText("text");
    JsonNode schema = null;
    if (formatType.equals("json_schema")) {
      schema = format.path("json_schema").get("schema");
      if (schema == null || !schema.isObject()) {
        throw ApiError.badRequest(
            "response_format.json_schema.schema must be a JSON schema object.",
            "response_format.json_schema.schema");
      }
    } else if (!formatType.equals("text") && !formatType.equals("json_object")) {
      throw ApiError.badRequest(
          "Invalid value for 'response_format.type': '" + formatType + "'.",
          "response_format.type");
    }
    return new ChatRequest(
        model,
        prompt,
        lastUser,
        maxTokens,
        schema,
        formatType.equals("json_object"),
        Tokens.countPrompt(prompt));
  }

  private static String requireText(JsonNode body, String field) {
    JsonNode node = body.get(field);
    if (node == null || !node.isTextual() || node.asText().isBlank()) {
      throw ApiError.badRequest("Missing required parameter: '" + field + "'.", field);
    }
    return node.asText();
  }

  private static PromptMessage message(JsonNode node, int index) {
    String where = "messages[" + index + "]";
    if (!node.isObject()) {
      throw ApiError.badRequest("Invalid type for '" + where + "': expected an object.", where);
    }
    String role = node.path("role").asText("");
    if (!ROLES.contains(role)) {
      throw ApiError.badRequest(
          "Invalid value for '"
              + where
              + ".role': '"
              + role
              + "'. Supported values are: "
              + "'system', 'developer', 'user', 'assistant', 'tool' and 'function'.",
          where + ".role");
    }
    return new PromptMessage(role, contentText(node.get("content"), where + ".content", role));
  }

  private static String contentText(JsonNode content, String where, String role) {
    if (content == null || content.isNull()) {
      if (role.equals("assistant")) {
        return "";
      }
      throw ApiError.badRequest("Missing required parameter: '" + where + "'.", where);
    }
    if (content.isTextual()) {
      return content.asText();
    }
    if (!content.isArray()) {
      throw ApiError.badRequest(
          "Invalid type for '" + where + "': expected a string or an array of parts.", where);
    }
    StringBuilder text = new StringBuilder();
    for (JsonNode part : content) {
      if (part.path("type").asText().equals("text")) {
        text.append(text.isEmpty() ? "" : "\n").append(part.path("text").asText());
      }
    }
    return text.toString();
  }

  private static Integer maxTokens(JsonNode body) {
    for (String field : List.of("max_completion_tokens", "max_tokens")) {
      JsonNode node = body.get(field);
      if (node != null && !node.isNull()) {
        if (!node.canConvertToInt() || !node.isIntegralNumber() || node.asInt() < 1) {
          throw ApiError.badRequest(
              "Invalid '" + field + "': expected an integer of at least 1.", field);
        }
        return node.asInt();
      }
    }
    return null;
  }

  @Override
  public ApiError modelNotFound(String model) {
    return new ApiError(
        404,
        "model_not_found",
        "The model `" + model + "` does not exist or you do not have access to it.",
        "model",
        "invalid_request_error");
  }

  @Override
  public Decision admit(ChatRequest call, Instant now) {
    long maxTokens = call.maxTokens() == null ? 0 : call.maxTokens();
    long prompt =
        profile.enforcement().characterEstimate()
            ? ProviderTokens.characterEstimate(call.messages())
            : call.promptTokens();
    return limiter(call.model()).admit(prompt + maxTokens, now);
  }

  @Override
  public void settle(ChatRequest call, Decision decision, Completion completion, Instant now) {
    if (call.maxTokens() == null) {
      limiter(call.model()).charge(completion.outputTokens(), now);
    }
  }

  @Override
  public Map<String, String> rateLimitHeaders(String model, Instant now) {
    return limiter(model).headers(now);
  }

  private OpenAiLimiter limiter(String model) {
    return limiters.computeIfAbsent(
        model,
        m -> new OpenAiLimiter(m, profile.limitsFor(m), profile.enforcement(), clock.instant()));
  }

  @Override
  public Object successBody(ChatRequest call, Completion completion, Instant now) {
    return completionBody(call, completion, now);
  }

  /** A {@code chat.completion} object (also used for batch lines). */
  public static ObjectNode completionBody(ChatRequest call, Completion completion, Instant now) {
    ObjectNode root = Json.mapper().createObjectNode();
    root.put("id", Ids.next("chatcmpl-"));
    root.put("object", "chat.completion");
    root.put("created", now.getEpochSecond());
    root.put("model", call.model());
    ObjectNode choice = root.putArray("choices").addObject();
    choice.put("index", 0);
    ObjectNode message = choice.putObject("message");
    message.put("role", "assistant");
    message.put("content", completion.text());
    message.putNull("refusal");
    message.putArray("annotations");
    choice.putNull("logprobs");
    choice.put("finish_reason", completion.cutByMaxTokens() ? "length" : "stop");
    ObjectNode usage = root.putObject("usage");
    usage.put("prompt_tokens", call.promptTokens());
    usage.put("completion_tokens", completion.outputTokens());
    usage.put("total_tokens", call.promptTokens() + completion.outputTokens());
    usage.putObject("prompt_tokens_details").put("cached_tokens", 0).put("audio_tokens", 0);
    usage
        .putObject("completion_tokens_details")
        .put("reasoning_tokens", 0)
        .put("audio_tokens", 0)
        .put("accepted_prediction_tokens", 0)
        .put("rejected_prediction_tokens", 0);
    root.put("service_tier", "default");
    root.put("system_fingerprint", "fp_sluice_sim");
    return root;
  }

  @Override
  public Reply error(ApiError error) {
    return OpenAiErrors.reply(error);
  }

  @Override
  public ApiError rateLimited(Decision decision) {
    return new ApiError(429, "rate_limit_exceeded", decision.message(), null, decision.limitType());
  }

  @Override
  public Map<String, String> retryHeaders(Duration wait) {
    Map<String, String> headers = new java.util.LinkedHashMap<>(Dialect.super.retryHeaders(wait));
    headers.put("retry-after-ms", Long.toString(Math.max(1, wait.toMillis())));
    return headers;
  }

  @Override
  public int overloadedStatus() {
    return 503;
  }

  @Override
  public String requestIdHeader() {
    return "x-request-id";
  }
}
