package io.sluice.simulator.internal.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.schemas.json.Json;
import io.sluice.simulator.Profile;
import io.sluice.simulator.internal.answer.PromptMessage;
import io.sluice.simulator.internal.answer.Tokens;
import io.sluice.simulator.internal.http.ApiError;
import io.sluice.simulator.internal.http.Ids;
import io.sluice.simulator.internal.http.Reply;
import io.sluice.simulator.internal.http.Request;
import io.sluice.simulator.internal.ratelimit.Decision;
import io.sluice.simulator.internal.ratelimit.GeminiLimiter;
import io.sluice.simulator.internal.realtime.ChatRequest;
import io.sluice.simulator.internal.realtime.Completion;
import io.sluice.simulator.internal.realtime.Dialect;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Gemini API's {@code POST /v1beta/models/{model}:generateContent}: key in {@code
 * x-goog-api-key} (or {@code ?key=}), {@code contents} / {@code systemInstruction} / {@code
 * generationConfig}, Google RPC errors, no rate-limit headers (429 {@code RESOURCE_EXHAUSTED} with
 * {@code RetryInfo} instead).
 */
public final class GeminiGenerate implements Dialect {
  /** The {@code #sim code=} value that makes a 429 a per-day quota exhaustion. */
  public static final String DAILY_QUOTA = "daily_quota";

  private static final String API = "gemini";

  private final Profile profile;
  private final Clock clock;
  private final String apiKey;
  private final Map<String, GeminiLimiter> limiters = new ConcurrentHashMap<>();

  /**
   * @param apiKey the only key accepted, or {@code null} for any
   */
  public GeminiGenerate(Profile profile, Clock clock, String apiKey) {
    this.profile = profile;
    this.clock = clock;
    this.apiKey = apiKey;
  }

  @Override
  public String api() {
    return API;
  }

  @Override
  public void authenticate(Request request) {
    Optional<String> key =
        request.header("x-goog-api-key").or(() -> request.param("key").filter(k -> !k.isBlank()));
    if (key.isEmpty()) {
      throw new ApiError(
          403,
          "PERMISSION_DENIED",
          "Method doesn't allow unregistered callers (callers without established identity)."
              + " Please use API Key or other form of API consumer identity to call this API.",
          null);
    }
    if (apiKey != null && !apiKey.equals(key.get())) {
      ArrayNode details = GeminiErrors.details();
      details
          .addObject()
          .put("@type", "type.googleapis.com/google.rpc.ErrorInfo")
          .put("reason", "API_KEY_INVALID")
          .put("domain", "googleapis.com");
      throw new GeminiApiError(
          400, "INVALID_ARGUMENT", "API key not valid. Please pass a valid API key.", details);
    }
  }

  @Override
  public ChatRequest parse(JsonNode body, List<String> pathParams) {
    String model = URLDecoder.decode(pathParams.getFirst(), StandardCharsets.UTF_8);
    List<PromptMessage> prompt = new ArrayList<>();
    JsonNode system = field(body, "systemInstruction", "system_instruction");
    if (system != null && !system.isNull()) {
      prompt.add(new PromptMessage("system", partsText(system.path("parts"))));
    }
    String lastUser = contents(field(body, "contents", "contents"), prompt);
    JsonNode config = field(body, "generationConfig", "generation_config");
    config = config == null ? Json.mapper().createObjectNode() : config;
    JsonNode schema = schema(config);
    String mimeType = text(field(config, "responseMimeType", "response_mime_type"));
    return new ChatRequest(
        model,
        prompt,
        lastUser,
        maxOutputTokens(config),
        schema,
        schema == null && "application/json".equals(mimeType),
        Tokens.countPrompt(prompt));
  }

  private static String contents(JsonNode contents, List<PromptMessage> prompt) {
    if (contents == null || !contents.isArray() || contents.isEmpty()) {
      throw invalid("* GenerateContentRequest.contents: contents is not specified");
    }
    String lastUser = "";
    for (int i = 0; i < contents.size(); i++) {
      JsonNode content = contents.get(i);
      String role = content.path("role").asText("user");
      if (!role.equals("user") && !role.equals("model")) {
        throw invalid("Please use a valid role: user, model.");
      }
      JsonNode parts = content.get("parts");
      if (parts == null || !parts.isArray() || parts.isEmpty()) {
        throw invalid(
            "* GenerateContentRequest.contents["
                + i
                + "].parts: contents.parts must not be empty.");
      }
      String text = partsText(parts);
      prompt.add(new PromptMessage(role, text));
      if (role.equals("user")) {
        lastUser = text;
      }
    }
    return lastUser;
  }

  private static String partsText(JsonNode parts) {
    StringBuilder text = new StringBuilder();
    for (JsonNode part : parts) {
      text.append(part.path("text").asText(""));
    }
    return text.toString();
  }

  private static Integer maxOutputTokens(JsonNode config) {
    JsonNode node = field(config, "maxOutputTokens", "max_output_tokens");
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isIntegralNumber() || !node.canConvertToInt() || node.asInt() < 1) {
      throw invalid(
          "* GenerateContentRequest.generation_config.max_output_tokens: must be a positive"
              + " integer");
    }
    return node.asInt();
  }

  /** {@code responseJsonSchema} as is, or {@code responseSchema} (OpenAPI types upper-case). */
  private static JsonNode schema(JsonNode config) {
    JsonNode json = field(config, "responseJsonSchema", "response_json_schema");
    if (json == null) {
      json = field(config, "_responseJsonSchema", "_response_json_schema");
    }
    if (json != null && !json.isNull()) {
      return requireObject(json);
    }
    JsonNode openApi = field(config, "responseSchema", "response_schema");
    return openApi == null || openApi.isNull()
        ? null
        : lowerCaseTypes(requireObject(openApi).deepCopy());
  }

  private static JsonNode requireObject(JsonNode schema) {
    if (!schema.isObject()) {
      throw invalid(
          "* GenerateContentRequest.generation_config.response_schema: must be an object");
    }
    return schema;
  }

  private static JsonNode lowerCaseTypes(JsonNode node) {
    if (node instanceof ObjectNode object) {
      JsonNode type = object.get("type");
      if (type != null && type.isTextual()) {
        object.put("type", type.asText().toLowerCase(Locale.ROOT));
      }
      for (Iterator<JsonNode> it = object.elements(); it.hasNext(); ) {
        lowerCaseTypes(it.next());
      }
    } else if (node instanceof ArrayNode array) {
      array.forEach(GeminiGenerate::lowerCaseTypes);
    }
    return node;
  }

  private static JsonNode field(JsonNode node, String camel, String snake) {
    JsonNode value = node == null ? null : node.get(camel);
    return value != null ? value : node == null ? null : node.get(snake);
  }

  private static String text(JsonNode node) {
    return node == null || node.isNull() ? null : node.asText();
  }

  private static ApiError invalid(String message) {
    return new ApiError(400, "INVALID_ARGUMENT", message, null);
  }

  @Override
  public ApiError modelNotFound(String model) {
    return new ApiError(
        404,
        "NOT_FOUND",
        "models/"
            + model
            + " is not found for API version v1beta, or is not supported for generateContent."
            + " Call ListModels to see the list of available models and their supported methods.",
        null);
  }

  @Override
  public Decision admit(ChatRequest call, Instant now) {
    return limiter(call.model()).admit(call.promptTokens(), now);
  }

  @Override
  public void settle(ChatRequest call, Decision decision, Completion completion, Instant now) {
    // Gemini limits input tokens only: nothing to correct after the call.
  }

  @Override
  public Map<String, String> rateLimitHeaders(String model, Instant now) {
    return Map.of();
  }

  private GeminiLimiter limiter(String model) {
    return limiters.computeIfAbsent(
        model, m -> new GeminiLimiter(m, profile.limitsFor(m), clock.instant()));
  }

  @Override
  public Object successBody(ChatRequest call, Completion completion, Instant now) {
    ObjectNode root = Json.mapper().createObjectNode();
    ObjectNode candidate = root.putArray("candidates").addObject();
    ObjectNode content = candidate.putObject("content");
    content.putArray("parts").addObject().put("text", completion.text());
    content.put("role", "model");
    candidate.put("finishReason", completion.cutByMaxTokens() ? "MAX_TOKENS" : "STOP");
    candidate.put("index", 0);
    ObjectNode usage = root.putObject("usageMetadata");
    usage.put("promptTokenCount", call.promptTokens());
    usage.put("candidatesTokenCount", completion.outputTokens());
    usage.put("totalTokenCount", call.promptTokens() + completion.outputTokens());
    usage
        .putArray("promptTokensDetails")
        .addObject()
        .put("modality", "TEXT")
        .put("tokenCount", call.promptTokens());
    root.put("modelVersion", call.model());
    root.put("responseId", Ids.next("sim-"));
    return root;
  }

  @Override
  public Reply error(ApiError error) {
    return GeminiErrors.reply(error);
  }

  @Override
  public ApiError rateLimited(Decision decision) {
    boolean requests = "requests".equals(decision.limitType());
    ArrayNode details = GeminiErrors.details();
    GeminiErrors.quotaFailure(
        details,
        requests
            ? "GenerateRequestsPerMinutePerProjectPerModel"
            : "GenerateContentPaidTierInputTokensPerModelPerMinute",
        requests
            ? "generativelanguage.googleapis.com/generate_content_paid_tier_requests"
            : "generativelanguage.googleapis.com/generate_content_paid_tier_input_token_count");
    GeminiErrors.retryInfo(details, wholeSeconds(decision.retryAfter()));
    return new GeminiApiError(429, "RESOURCE_EXHAUSTED", decision.message(), details);
  }

  @Override
  public Map<String, String> retryHeaders(Duration wait) {
    return Map.of();
  }

  /**
   * The directive's error in Google's shape: {@code retry-after}, {@code retry-after-ms} and {@code
   * retry-after-date} become {@code RetryInfo.retryDelay}; {@code code=daily_quota} makes a 429 a
   * per-day quota exhaustion ({@code QuotaFailure} naming {@code
   * GenerateRequestsPerDayPerProjectPerModel}); any other {@code code} is the RPC status name.
   */
  @Override
  public Reply injectedError(ApiError error, Map<String, String> retryHints, Instant now) {
    ArrayNode details = GeminiErrors.details();
    String status = error.code();
    if (DAILY_QUOTA.equalsIgnoreCase(status)) {
      status = "RESOURCE_EXHAUSTED";
      GeminiErrors.quotaFailure(
          details,
          "GenerateRequestsPerDayPerProjectPerModel",
          "generativelanguage.googleapis.com/generate_content_paid_tier_requests");
    }
    retryDelay(retryHints, now).ifPresent(delay -> GeminiErrors.retryInfo(details, delay));
    String message =
        error.status() == overloadedStatus()
            ? "The model is overloaded. Please try again later. (simulated)"
            : error.getMessage();
    return error(
        new GeminiApiError(error.status(), status, message, details.isEmpty() ? null : details));
  }

  private static Optional<Duration> retryDelay(Map<String, String> hints, Instant now) {
    String millis = hints.get("retry-after-ms");
    if (millis != null) {
      return Optional.of(Duration.ofMillis(Long.parseLong(millis)));
    }
    String after = hints.get("retry-after");
    if (after == null) {
      return Optional.empty();
    }
    if (after.chars().allMatch(Character::isDigit)) {
      return Optional.of(Duration.ofSeconds(Long.parseLong(after)));
    }
    try {
      Instant at = ZonedDateTime.parse(after, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      return Optional.of(at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static Duration wholeSeconds(Duration wait) {
    return Duration.ofSeconds(Math.max(1, (wait.toMillis() + 999) / 1000));
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
