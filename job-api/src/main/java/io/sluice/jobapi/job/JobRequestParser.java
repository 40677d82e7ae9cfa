package io.sluice.jobapi.job;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.jobapi.mapreduce.MapReduceInput;
import io.sluice.jobapi.mapreduce.MapReduceSettings;
import io.sluice.mapreduce.CostCap;
import io.sluice.schemas.job.ChatMessage;
import io.sluice.schemas.job.ChunkErrorPolicy;
import io.sluice.schemas.job.CompletionSpec;
import io.sluice.schemas.job.JobType;
import io.sluice.schemas.job.MapReduceSpec;
import io.sluice.schemas.job.Mode;
import io.sluice.schemas.job.Priority;
import io.sluice.schemas.json.Json;
import io.sluice.schemas.model.ModelCatalog;
import io.sluice.structured.ResponseSchema;
import io.sluice.structured.StructuredOutput;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Reads and validates a {@code POST /v1/jobs} body (create-job-request.schema.json) and reports
 * every bad field at once, not only the first. Explicit {@code null} for an optional field means
 * "not given".
 */
public final class JobRequestParser {
  static final int MAX_MODEL_LENGTH = 200;
  static final int MAX_MESSAGES = 1000;
  static final int MAX_OUTPUT_TOKENS = 1_000_000;
  static final int MAX_METADATA_ENTRIES = 32;
  static final int MAX_METADATA_VALUE_LENGTH = 500;
  static final int MAX_WEBHOOK_URL_LENGTH = 2048;

  private static final Set<String> FIELDS =
      Set.of(
          "type",
          "model",
          "messages",
          "max_tokens",
          "temperature",
          "response_schema",
          "max_repairs",
          "fallback",
          "max_cost_usd",
          "priority",
          "mode",
          "deadline",
          "metadata",
          "webhook",
          "cache");
  static final int MAX_FALLBACK_ENTRIES = 8;
  private static final String LONE_SURROGATE =
      "contains a lone UTF-16 surrogate (\\uD800 to \\uDFFF without its pair), which is not"
          + " Unicode text";
  private static final Set<String> WEBHOOK_FIELDS = Set.of("url");
  private static final Set<String> MESSAGE_FIELDS = Set.of("role", "content");
  private static final List<String> ROLES = List.of("system", "user", "assistant");

  private static final ObjectMapper STRICT =
      Json.newMapper()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private static final Set<String> MAP_REDUCE_FIELDS =
      Set.of(
          "type",
          "model",
          "document",
          "map",
          "reduce",
          "chunk_tokens",
          "overlap_tokens",
          "max_chunks",
          "max_cost_usd",
          "on_chunk_error",
          "max_depth",
          "temperature",
          "priority",
          "mode",
          "deadline",
          "metadata",
          "webhook");
  private static final Set<String> MAP_FIELDS = Set.of("instruction", "schema", "max_tokens");
  private static final Set<String> REDUCE_FIELDS =
      Set.of("instruction", "schema", "max_tokens", "model");
  static final int MAX_INSTRUCTION_LENGTH = 100_000;
  static final long MAX_CHUNK_TOKENS = 10_000_000;
  static final int MAX_CHUNKS_CAP = 100_000_000;

  private final ModelCatalog models;
  private final Clock clock;
  private final WebhookUrlCheck webhookUrls;
  private final MapReduceSettings mapReduce;

  /** A parser that refuses every {@code webhook} (webhooks not configured). */
  public JobRequestParser(ModelCatalog models, Clock clock) {
    this(models, clock, WebhookUrlCheck.NONE);
  }

  public JobRequestParser(ModelCatalog models, Clock clock, WebhookUrlCheck webhookUrls) {
    this(models, clock, webhookUrls, MapReduceSettings.DEFAULTS);
  }

  public JobRequestParser(
      ModelCatalog models, Clock clock, WebhookUrlCheck webhookUrls, MapReduceSettings mapReduce) {
    this.models = models;
    this.clock = clock;
    this.webhookUrls = webhookUrls;
    this.mapReduce = mapReduce;
  }

  /**
   * The request in {@code body}.
   *
   * @throws InvalidJobRequestException naming every bad field
   */
  public JobRequest parse(byte[] body) {
    return parseTree(readObject(body));
  }

  /**
   * The request in a JSON object read by a mapper as strict as this parser's (duplicate names
   * refused, floats as {@code BigDecimal}), so that a caller that has read it does not write and
   * read it again.
   *
   * @throws InvalidJobRequestException naming every bad field
   */
  public JobRequest parseTree(ObjectNode root) {
    Problems problems = new Problems();
    rejectLoneSurrogates(root, "", problems);
    if (isMapReduce(root.get("type"))) {
      return parseMapReduce(root, problems);
    }
    rejectUnknownFields(root, FIELDS, "", problems);
    checkType(root.get("type"), problems);
    String model = readModel(root.get("model"), problems);
    List<ChatMessage> messages = readMessages(root.get("messages"), problems);
    Integer maxTokens = readMaxTokens(root.get("max_tokens"), problems);
    Double temperature = readTemperature(root.get("temperature"), problems);
    JsonNode responseSchema =
        readResponseSchema(root.get("response_schema"), "response_schema", problems);
    Integer maxRepairs =
        readLong(root.get("max_repairs"), "max_repairs", 0, StructuredOutput.MAX_REPAIRS, problems)
            .map(Long::intValue)
            .orElse(null);
    List<String> fallback = readFallback(root.get("fallback"), problems);
    BigDecimal maxCost = readCost(root.get("max_cost_usd"), problems);
    Priority priority =
        readWireName(
            root.get("priority"), "priority", Priority::fromWire, Priority.wireNames(), problems);
    Mode mode = readWireName(root.get("mode"), "mode", Mode::fromWire, Mode.wireNames(), problems);
    Instant deadline = readDeadline(root.get("deadline"), problems);
    Map<String, String> metadata = readMetadata(root.get("metadata"), problems);
    String webhookUrl = readWebhook(root.get("webhook"), problems);
    Boolean cache = readCache(root.get("cache"), temperature, problems);
    problems.throwIfAny();
    return new JobRequest(
        JobType.COMPLETION,
        new CompletionSpec(
            model, messages, maxTokens, temperature, responseSchema, maxRepairs, fallback, maxCost),
        priority == null ? Priority.DEFAULT : priority,
        mode == null ? Mode.DEFAULT : mode,
        deadline,
        metadata,
        webhookUrl,
        null,
        cache);
  }

  // An answer sampled at a temperature above 0 is not the answer an identical request would get,
  // so it is never served from the cache (docs/cache.md).
  private static Boolean readCache(JsonNode node, Double temperature, Problems problems) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isBoolean()) {
      problems.add("cache", "must be true or false");
      return null;
    }
    if (node.booleanValue() && temperature != null && temperature > 0) {
      problems.add(
          "cache",
          "true needs temperature 0 or no temperature: an answer sampled at temperature "
              + temperature
              + " is not repeatable");
      return null;
    }
    return node.booleanValue();
  }

  private static ObjectNode readObject(byte[] body) {
    if (body == null || body.length == 0) {
      throw bodyError("the request body is empty; send a JSON object");
    }
    if (!Utf8.isValid(body)) {
      throw bodyError("the request body is not valid UTF-8; send JSON encoded as UTF-8");
    }
    JsonNode root;
    try {
      root = STRICT.readTree(body);
    } catch (JsonProcessingException e) {
      throw bodyError("the request body is not valid JSON: " + describe(e));
    } catch (IOException e) {
      throw bodyError("the request body cannot be read: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw bodyError("the request body must be a JSON object");
    }
    return (ObjectNode) root;
  }

  private static String describe(JsonProcessingException e) {
    var location = e.getLocation();
    String where =
        location == null
            ? ""
            : " (line " + location.getLineNr() + ", column " + location.getColumnNr() + ")";
    return e.getOriginalMessage() + where;
  }

  private static InvalidJobRequestException bodyError(String message) {
    return new InvalidJobRequestException(message, List.of(new FieldError("body", message)));
  }

  private static void rejectUnknownFields(
      JsonNode object, Set<String> known, String path, Problems problems) {
    object
        .fieldNames()
        .forEachRemaining(
            name -> {
              if (!known.contains(name)) {
                problems.add(
                    path + name, "unknown field; allowed fields are " + new TreeSet<>(known));
              }
            });
  }

  /**
   * A JSON string may spell a lone UTF-16 surrogate ({@code "\\uD800"}): not Unicode text, so it
   * cannot be passed on as UTF-8 unchanged. Names every string (value or field name) that has one.
   */
  private static void rejectLoneSurrogates(JsonNode node, String path, Problems problems) {
    if (node.isTextual() && hasLoneSurrogate(node.textValue())) {
      problems.add(path, LONE_SURROGATE);
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        rejectLoneSurrogates(node.get(i), path + "[" + i + "]", problems);
      }
    } else if (node.isObject()) {
      node.properties()
          .forEach(
              entry -> {
                String child = path.isEmpty() ? entry.getKey() : path + "." + entry.getKey();
                if (hasLoneSurrogate(entry.getKey())) {
                  problems.add(path.isEmpty() ? "body" : path, "a field name " + LONE_SURROGATE);
                } else {
                  rejectLoneSurrogates(entry.getValue(), child, problems);
                }
              });
    }
  }

  private static boolean hasLoneSurrogate(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c)
          && i + 1 < text.length()
          && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        return true;
      }
    }
    return false;
  }

  private static void checkType(JsonNode node, Problems problems) {
    if (isAbsent(node)) {
      return;
    }
    if (!node.isTextual() || !node.textValue().equals("completion")) {
      problems.add("type", "must be \"completion\" or \"map_reduce\"");
    }
  }

  private static boolean isMapReduce(JsonNode type) {
    return type != null && type.isTextual() && type.textValue().equals("map_reduce");
  }

  private JobRequest parseMapReduce(ObjectNode root, Problems problems) {
    rejectUnknownFields(root, MAP_REDUCE_FIELDS, "", problems);
    String model = readModel(root.get("model"), problems);
    String document = readDocument(root.get("document"), problems);
    Double temperature = readTemperature(root.get("temperature"), problems);
    MapReduceSpec.Phase map = readPhase(root.get("map"), "map", model, temperature, problems);
    MapReduceSpec.Phase reduce =
        readPhase(root.get("reduce"), "reduce", model, temperature, problems);
    long chunkTokens =
        readLong(root.get("chunk_tokens"), "chunk_tokens", 1, MAX_CHUNK_TOKENS, problems)
            .orElse(mapReduce.defaultChunkTokens());
    long overlapTokens =
        readLong(root.get("overlap_tokens"), "overlap_tokens", 0, MAX_CHUNK_TOKENS - 1, problems)
            .orElse(0L);
    if (overlapTokens >= chunkTokens && root.hasNonNull("overlap_tokens")) {
      problems.add("overlap_tokens", "must be less than chunk_tokens (" + chunkTokens + ")");
    }
    Integer maxChunks =
        readLong(root.get("max_chunks"), "max_chunks", 1, MAX_CHUNKS_CAP, problems)
            .map(Long::intValue)
            .orElse(null);
    BigDecimal maxCost = readCost(root.get("max_cost_usd"), problems);
    ChunkErrorPolicy onChunkError =
        readWireName(
            root.get("on_chunk_error"),
            "on_chunk_error",
            ChunkErrorPolicy::fromWire,
            ChunkErrorPolicy.wireNames(),
            problems);
    Integer maxDepth =
        readLong(root.get("max_depth"), "max_depth", 1, mapReduce.maxDepth(), problems)
            .map(Long::intValue)
            .orElse(null);
    Priority priority =
        readWireName(
            root.get("priority"), "priority", Priority::fromWire, Priority.wireNames(), problems);
    Mode mode = readWireName(root.get("mode"), "mode", Mode::fromWire, Mode.wireNames(), problems);
    Instant deadline = readDeadline(root.get("deadline"), problems);
    Map<String, String> metadata = readMetadata(root.get("metadata"), problems);
    String webhookUrl = readWebhook(root.get("webhook"), problems);
    problems.throwIfAny();
    return new JobRequest(
        JobType.MAP_REDUCE,
        null,
        priority == null ? Priority.DEFAULT : priority,
        mode == null ? Mode.DEFAULT : mode,
        deadline,
        metadata,
        webhookUrl,
        new MapReduceInput(
            document,
            map,
            reduce,
            chunkTokens,
            overlapTokens,
            maxChunks,
            maxCost,
            onChunkError == null ? ChunkErrorPolicy.DEFAULT : onChunkError,
            maxDepth));
  }

  private String readDocument(JsonNode node, Problems problems) {
    if (isAbsent(node)) {
      problems.add("document", "is required: the document text");
      return "";
    }
    if (!node.isTextual()) {
      problems.add("document", "must be a string");
      return "";
    }
    String text = node.textValue();
    if (text.isEmpty()) {
      problems.add("document", "must not be empty");
    } else if (utf8Length(text) > mapReduce.maxDocumentBytes()) {
      problems.add(
          "document", "must be at most " + mapReduce.maxDocumentBytes() + " bytes of UTF-8");
    }
    return text;
  }

  private static long utf8Length(String text) {
    long bytes = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        bytes++;
      } else if (c < 0x800) {
        bytes += 2;
      } else if (Character.isHighSurrogate(c)) {
        bytes += 4;
        i++;
      } else {
        bytes += 3;
      }
    }
    return bytes;
  }

  private MapReduceSpec.Phase readPhase(
      JsonNode node, String field, String jobModel, Double temperature, Problems problems) {
    if (isAbsent(node) || !node.isObject()) {
      problems.add(field, "is required: an object with an instruction");
      return null;
    }
    boolean reduce = field.equals("reduce");
    rejectUnknownFields(node, reduce ? REDUCE_FIELDS : MAP_FIELDS, field + ".", problems);
    String instruction = readInstruction(node.get("instruction"), field, problems);
    JsonNode schema = readResponseSchema(node.get("schema"), field + ".schema", problems);
    int maxTokens =
        readLong(node.get("max_tokens"), field + ".max_tokens", 1, MAX_OUTPUT_TOKENS, problems)
            .map(Long::intValue)
            .orElse(mapReduce.defaultMaxTokens());
    String model = jobModel;
    if (reduce && !isAbsent(node.get("model"))) {
      model = readPhaseModel(node.get("model"), problems);
    }
    return instruction == null || model == null
        ? null
        : new MapReduceSpec.Phase(model, instruction, maxTokens, temperature, schema);
  }

  private String readPhaseModel(JsonNode node, Problems problems) {
    if (!node.isTextual() || models.resolve(node.textValue()).isEmpty()) {
      problems.add(
          "reduce.model", "must be a known model; known models: " + new TreeSet<>(models.names()));
      return null;
    }
    return node.textValue();
  }

  private static String readInstruction(JsonNode node, String field, Problems problems) {
    if (isAbsent(node) || !node.isTextual() || node.textValue().isBlank()) {
      problems.add(field + ".instruction", "is required: a non-blank string");
      return null;
    }
    if (node.textValue().length() > MAX_INSTRUCTION_LENGTH) {
      problems.add(
          field + ".instruction", "must be at most " + MAX_INSTRUCTION_LENGTH + " characters");
      return null;
    }
    return node.textValue();
  }

  private static Optional<Long> readLong(
      JsonNode node, String field, long min, long max, Problems problems) {
    if (isAbsent(node)) {
      return Optional.empty();
    }
    if (!node.isIntegralNumber() || !node.canConvertToLong()) {
      problems.add(field, "must be an integer between " + min + " and " + max);
      return Optional.empty();
    }
    long value = node.longValue();
    if (value < min || value > max) {
      problems.add(field, "must be between " + min + " and " + max);
      return Optional.empty();
    }
    return Optional.of(value);
  }

  private static BigDecimal readCost(JsonNode node, Problems problems) {
    if (isAbsent(node)) {
      return null;
    }
    // One rule for completion and map-reduce jobs (CostCap): a positive number of dollars.
    Optional<String> problem =
        node.isNumber()
            ? CostCap.problemWith(node.decimalValue())
            : Optional.of("must be a number of US dollars greater than 0");
    problem.ifPresent(reason -> problems.add(CostCap.FIELD, reason));
    return problem.isPresent() ? null : node.decimalValue();
  }

  private String readModel(JsonNode node, Problems problems) {
    if (isAbsent(node)) {
      problems.add("model", "is required");
      return null;
    }
    if (!node.isTextual()) {
      problems.add("model", "must be a string");
      return null;
    }
    String model = node.textValue();
    if (model.isEmpty() || model.length() > MAX_MODEL_LENGTH) {
      problems.add("model", "must be 1 to " + MAX_MODEL_LENGTH + " characters");
    } else if (models.resolve(model).isEmpty()) {
      problems.add(
          "model", "unknown model '" + model + "'; known models: " + new TreeSet<>(models.names()));
    }
    return model;
  }

  /**
   * {@code fallback}: absent or {@code true} is the deployment's chain ({@code null}), {@code
   * false} none (an empty list), an array the job's own chain of known models.
   */
  private List<String> readFallback(JsonNode node, Problems problems) {
    if (isAbsent(node)) {
      return null;
    }
    if (node.isBoolean()) {
      return node.booleanValue() ? null : List.of();
    }
    if (!node.isArray()) {
      problems.add("fallback", "must be an array of model names, or false for no fallback");
      return null;
    }
    if (node.size() > MAX_FALLBACK_ENTRIES) {
      problems.add("fallback", "must name at most " + MAX_FALLBACK_ENTRIES + " models");
      return null;
    }
    List<String> chain = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode entry = node.get(i);
      String field = "fallback[" + i + "]";
      if (!entry.isTextual() || entry.textValue().isEmpty()) {
        problems.add(field, "must be a model name");
      } else if (models.resolve(entry.textValue()).isEmpty()) {
        problems.add(
            field,
            "unknown model '"
                + entry.textValue()
                + "'; known models: "
                + new TreeSet<>(models.names()));
      } else {
        chain.add(entry.textValue());
      }
    }
    return chain;
  }

  private static List<ChatMessage> readMessages(JsonNode node, Problems problems) {
    if (isAbsent(node)) {
      problems.add("messages", "is required");
      return List.of();
    }
    if (!node.isArray()) {
      problems.add("messages", "must be an array of {role, content} objects");
      return List.of();
    }
    if (node.isEmpty() || node.size() > MAX_MESSAGES) {
      problems.add("messages", "must have 1 to " + MAX_MESSAGES + " messages");
      return List.of();
    }
    List<ChatMessage> messages = new ArrayList<>(node.size());
    for (int i = 0; i < node.size(); i++) {
      messages.add(readMessage(node.get(i), "messages[" + i + "]", problems));
    }
    return messages;
  }

  private static ChatMessage readMessage(JsonNode node, String path, Problems problems) {
    if (!node.isObject()) {
      problems.add(path, "must be an object with role and content");
      return null;
    }
    rejectUnknownFields(node, MESSAGE_FIELDS, path + ".", problems);
    JsonNode role = node.get("role");
    if (isAbsent(role)) {
      problems.add(path + ".role", "is required");
    } else if (!role.isTextual() || !ROLES.contains(role.textValue())) {
      problems.add(path + ".role", "must be one of " + String.join(", ", ROLES));
    }
    JsonNode content = node.get("content");
    if (isAbsent(content)) {
      problems.add(path + ".content", "is required");
    } else if (!content.isTextual()) {
      problems.add(path + ".content", "must be a string");
    }
    return new ChatMessage(textOrNull(role), textOrNull(content));
  }

  private static Integer readMaxTokens(JsonNode node, Problems problems) {
    if (isAbsent(node)) {
      return null;
    }
    if (!node.isIntegralNumber()) {
      problems.add("max_tokens", "must be an integer");
      return null;
    }
    if (!node.canConvertToInt() || node.intValue() < 1 || node.intValue() > MAX_OUTPUT_TOKENS) {
      problems.add("max_tokens", "must be between 1 and " + MAX_OUTPUT_TOKENS);
      return null;
    }
    return node.intValue();
  }

  private static Double readTemperature(JsonNode node, Problems problems) {
    if (isAbsent(node)) {
      return null;
    }
    if (!node.isNumber()) {
      problems.add("temperature", "must be a number");
      return null;
    }
    double value = node.doubleValue();
    if (!(value >= 0 && value <= 2)) {
      problems.add("temperature", "must be between 0 and 2");
      return null;
    }
    return value;
  }

  /** A JSON Schema the output must satisfy: checked as one (ResponseSchema), or named bad. */
  private static JsonNode readResponseSchema(JsonNode node, String field, Problems problems) {
    if (isAbsent(node)) {
      return null;
    }
    Optional<String> problem = ResponseSchema.problemWith(node);
    problem.ifPresent(reason -> problems.add(field, reason));
    return problem.isPresent() ? null : node;
  }

  private static <E> E readWireName(
      JsonNode node,
      String field,
      Function<String, Optional<E>> fromWire,
      List<String> allowed,
      Problems problems) {
    if (isAbsent(node)) {
      return null;
    }
    Optional<E> value = node.isTextual() ? fromWire.apply(node.textValue()) : Optional.empty();
    if (value.isEmpty()) {
      problems.add(field, "must be one of " + String.join(", ", allowed));
      return null;
    }
    return value.get();
  }

  private Instant readDeadline(JsonNode node, Problems problems) {
    if (isAbsent(node)) {
      return null;
    }
    Instant deadline = node.isTextual() ? parseInstant(node.textValue()) : null;
    if (deadline == null) {
      problems.add(
          "deadline", "must be an RFC 3339 date-time with offset, e.g. 2030-01-31T18:00:00Z");
      return null;
    }
    if (!deadline.isAfter(clock.instant())) {
      problems.add("deadline", "must be in the future");
      return null;
    }
    return deadline;
  }

  private static Instant parseInstant(String text) {
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  private static Map<String, String> readMetadata(JsonNode node, Problems problems) {
    if (isAbsent(node)) {
      return Map.of();
    }
    if (!node.isObject()) {
      problems.add("metadata", "must be an object of string values");
      return Map.of();
    }
    if (node.size() > MAX_METADATA_ENTRIES) {
      problems.add("metadata", "must have at most " + MAX_METADATA_ENTRIES + " entries");
      return Map.of();
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    node.properties().forEach(entry -> readMetadataEntry(entry, metadata, problems));
    return metadata;
  }

  private static void readMetadataEntry(
      Map.Entry<String, JsonNode> entry, Map<String, String> metadata, Problems problems) {
    String path = "metadata." + entry.getKey();
    JsonNode value = entry.getValue();
    if (!value.isTextual()) {
      problems.add(path, "must be a string");
    } else if (value.textValue().length() > MAX_METADATA_VALUE_LENGTH) {
      problems.add(path, "must be at most " + MAX_METADATA_VALUE_LENGTH + " characters");
    } else {
      metadata.put(entry.getKey(), value.textValue());
    }
  }

  // Only the form here; whether the destination may be called is the WebhookUrlCheck's to say.
  private String readWebhook(JsonNode node, Problems problems) {
    if (isAbsent(node)) {
      return null;
    }
    if (!node.isObject()) {
      problems.add("webhook", "must be an object {\"url\": \"https://...\"}");
      return null;
    }
    rejectUnknownFields(node, WEBHOOK_FIELDS, "webhook.", problems);
    JsonNode url = node.get("url");
    if (isAbsent(url) || !url.isTextual()) {
      problems.add("webhook.url", "is required: an absolute https URL");
      return null;
    }
    Optional<String> refusal = webhookUrlRefusal(url.textValue());
    refusal.ifPresent(reason -> problems.add("webhook.url", reason));
    return refusal.isPresent() ? null : url.textValue();
  }

  private Optional<String> webhookUrlRefusal(String text) {
    if (text.length() > MAX_WEBHOOK_URL_LENGTH) {
      return Optional.of("must be at most " + MAX_WEBHOOK_URL_LENGTH + " characters");
    }
    URI url;
    try {
      url = new URI(text);
    } catch (URISyntaxException e) {
      return Optional.of("is not a URL: " + e.getReason());
    }
    if (!url.isAbsolute() || url.getHost() == null) {
      return Optional.of("must be an absolute URL with a host, e.g. https://example.com/hook");
    }
    return webhookUrls.refusal(url);
  }

  private static boolean isAbsent(JsonNode node) {
    return node == null || node.isNull();
  }

  private static String textOrNull(JsonNode node) {
    return node != null && node.isTextual() ? node.textValue() : null;
  }

  /** The bad fields found so far, in the order the parser met them. */
  private static final class Problems {
    private final List<FieldError> errors = new ArrayList<>();

    void add(String field, String message) {
      errors.add(new FieldError(field, message));
    }

    void throwIfAny() {
      if (!errors.isEmpty()) {
        throw InvalidJobRequestException.of(errors);
      }
    }
  }
}
