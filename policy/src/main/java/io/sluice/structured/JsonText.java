package io.sluice.structured;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.schemas.json.Json;

/**
 * A model's answer read as one JSON value: the whole answer, or else the content of its first
 * Markdown code fence ({@code ```json ... ```} or {@code ``` ... ```}), since models wrap JSON in
 * one even when asked not to. Strict: one value, no trailing text, no duplicate keys; numbers kept
 * exactly. A problem is described by where it is, never by quoting the answer.
 */
public final class JsonText {
  private static final String FENCE = "```";
  private static final ObjectMapper STRICT =
      Json.newMapper()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private JsonText() {}

  /** What reading an answer gave: its JSON value, or why it is none. */
  public sealed interface Read {}

  /** The answer's JSON value. */
  public record Value(JsonNode json) implements Read {}

  /** The answer holds no JSON value; {@code problem} says why without quoting it. */
  public record NotJson(String problem) implements Read {}

  public static Read read(String answer) {
    String text = answer == null ? "" : answer.strip();
    if (text.isEmpty()) {
      return new NotJson("the answer is empty; it must be a JSON value");
    }
    Read whole = parse(text);
    if (whole instanceof Value) {
      return whole;
    }
    String fenced = fencedBlock(text);
    return fenced == null ? whole : parse(fenced);
  }

  /** The content of the first code fence in {@code text}, or {@code null} when it has none. */
  static String fencedBlock(String text) {
    int open = text.indexOf(FENCE);
    if (open < 0) {
      return null;
    }
    int lineEnd = text.indexOf('\n', open);
    if (lineEnd < 0) {
      return null;
    }
    int close = text.indexOf(FENCE, lineEnd + 1);
    return close < 0 ? null : text.substring(lineEnd + 1, close).strip();
  }

  private static Read parse(String text) {
    try {
      JsonNode json = STRICT.readTree(text);
      return json == null || json.isMissingNode()
          ? new NotJson("the answer is empty; it must be a JSON value")
          : new Value(json);
    } catch (JsonProcessingException e) {
      var at = e.getLocation();
      String where =
          at == null ? "" : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")";
      return new NotJson("the answer is not valid JSON" + where);
    }
  }
}
