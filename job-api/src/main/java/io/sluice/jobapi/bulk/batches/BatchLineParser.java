package io.sluice.jobapi.bulk.batches;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.jobapi.job.InvalidJobRequestException;
import io.sluice.jobapi.job.JobRequest;
import io.sluice.jobapi.job.JobRequestParser;
import io.sluice.jobapi.job.Utf8;
import io.sluice.schemas.json.Json;
import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Reads one line of a batch input file ({@code {"custom_id", "method", "url", "body"}}) into the
 * job it asks for. The {@code body} is an OpenAI chat completion request; it is mapped onto a
 * {@code POST /v1/jobs} body and validated by the same {@link JobRequestParser}, so every model of
 * the catalogue (OpenAI, Anthropic, Gemini, ...) works and the same rules hold.
 */
public final class BatchLineParser {
  public static final int MAX_CUSTOM_ID_LENGTH = 512;
  private static final Set<String> LINE_FIELDS = Set.of("custom_id", "method", "url", "body");
  private static final Set<String> BODY_FIELDS =
      Set.of("model", "messages", "max_tokens", "max_completion_tokens", "temperature");
  private static final ObjectMapper STRICT =
      Json.newMapper()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private final JobRequestParser jobs;
  private final String endpoint;

  public BatchLineParser(JobRequestParser jobs, String endpoint) {
    this.jobs = jobs;
    this.endpoint = endpoint;
  }

  /** A line read: either the job it asks for or what is wrong with it. */
  public sealed interface Parsed {}

  public record Ok(String customId, JobRequest request) implements Parsed {}

  public record Bad(LineError error) implements Parsed {}

  /** The line {@code number} (1-based), asking for a job on these terms. */
  public Parsed parse(byte[] line, int number, BatchTerms terms) {
    if (!Utf8.isValid(line)) {
      return bad("invalid_encoding", "is not valid UTF-8", number);
    }
    JsonNode root;
    try {
      root = STRICT.readTree(line);
    } catch (JsonProcessingException e) {
      return bad("invalid_json_line", "is not valid JSON", number);
    } catch (java.io.IOException e) {
      return bad("invalid_json_line", "is not valid JSON", number);
    }
    if (!(root instanceof ObjectNode object)) {
      return bad("invalid_json_line", "is not a JSON object", number);
    }
    for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!LINE_FIELDS.contains(name)) {
        return bad("invalid_request", "has the unknown field '" + name + "'", number);
      }
    }
    JsonNode customId = object.get("custom_id");
    if (customId == null || customId.isNull()) {
      return bad("missing_custom_id", "has no custom_id", number);
    }
    if (!customId.isTextual()
        || customId.asText().isEmpty()
        || customId.asText().length() > MAX_CUSTOM_ID_LENGTH) {
      return bad(
          "invalid_custom_id",
          "has a custom_id that is not a string of 1 to " + MAX_CUSTOM_ID_LENGTH + " characters",
          number);
    }
    // Stored as text, which cannot hold NUL (the job's JSON columns keep it escaped).
    if (customId.asText().indexOf('\u0000') >= 0) {
      return bad("invalid_custom_id", "has a custom_id with a NUL character (\\u0000)", number);
    }
    if (!"POST".equals(textOf(object.get("method")))) {
      return bad("invalid_method", "has a method other than POST", number);
    }
    if (!endpoint.equals(textOf(object.get("url")))) {
      return bad("invalid_url", "has a url other than the batch's endpoint " + endpoint, number);
    }
    if (!(object.get("body") instanceof ObjectNode body)) {
      return bad("invalid_request", "has no body object", number);
    }
    return readBody(customId.asText(), body, number, terms);
  }

  private Parsed readBody(String customId, ObjectNode body, int number, BatchTerms terms) {
    ObjectNode request = Json.mapper().createObjectNode();
    for (Iterator<Map.Entry<String, JsonNode>> fields = body.fields(); fields.hasNext(); ) {
      Map.Entry<String, JsonNode> field = fields.next();
      String name = field.getKey();
      if (!BODY_FIELDS.contains(name)) {
        return bad(
            "invalid_request",
            "has body." + name + ", which Sluice does not support in a batch line",
            number);
      }
      switch (name) {
        case "max_completion_tokens" -> request.set("max_tokens", field.getValue());
        case "messages" -> request.set("messages", flattenContent(field.getValue()));
        default -> request.set(name, field.getValue());
      }
    }
    request.put("priority", terms.priority());
    request.put("mode", terms.mode());
    request.put("deadline", terms.deadline().toString());
    try {
      return new Ok(customId, jobs.parseTree(request));
    } catch (InvalidJobRequestException e) {
      return badBody(e, number);
    }
  }

  private static Parsed badBody(InvalidJobRequestException e, int number) {
    boolean model = e.fieldErrors().stream().anyMatch(f -> f.field().equals("model"));
    String fields =
        e.fieldErrors().stream()
            .map(f -> "body." + f.field() + " " + f.message())
            .collect(Collectors.joining("; "));
    return bad(model ? "model_not_found" : "invalid_request", "has " + fields, number);
  }

  // OpenAI allows content as an array of parts; text parts are joined into one string.
  private static JsonNode flattenContent(JsonNode messages) {
    if (!(messages instanceof ArrayNode array)) {
      return messages;
    }
    ArrayNode copy = array.deepCopy();
    for (JsonNode message : copy) {
      if (message instanceof ObjectNode m && m.get("content") instanceof ArrayNode parts) {
        StringBuilder text = new StringBuilder();
        boolean allText = true;
        for (JsonNode part : parts) {
          allText &= "text".equals(textOf(part.get("type"))) && part.path("text").isTextual();
          text.append(part.path("text").asText(""));
        }
        if (allText) {
          m.put("content", text.toString());
        }
      }
    }
    return copy;
  }

  private static String textOf(JsonNode node) {
    return node != null && node.isTextual() ? node.asText() : null;
  }

  private static Bad bad(String code, String what, int number) {
    return new Bad(new LineError(code, "line " + number + " " + what, number));
  }

  /**
   * The terms every line's job gets from its batch.
   *
   * @param priority {@code bulk}
   * @param mode {@code deferred} for a 24 h window, else {@code realtime}
   * @param deadline the end of the window
   */
  public record BatchTerms(String priority, String mode, Instant deadline) {}
}
