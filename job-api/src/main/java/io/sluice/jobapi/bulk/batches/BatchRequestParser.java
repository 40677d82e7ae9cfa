package io.sluice.jobapi.bulk.batches;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.jobapi.job.FieldError;
import io.sluice.jobapi.job.InvalidJobRequestException;
import io.sluice.schemas.json.Json;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Reads a {@code POST /v1/batches} body and names every bad field. */
public final class BatchRequestParser {
  public static final String CHAT_COMPLETIONS = "/v1/chat/completions";
  static final int MAX_METADATA = 16;
  static final int MAX_METADATA_KEY = 64;
  static final int MAX_METADATA_VALUE = 512;
  private static final Set<String> FIELDS =
      Set.of("input_file_id", "endpoint", "completion_window", "metadata", "output_expires_after");
  private static final ObjectMapper STRICT =
      Json.newMapper().enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  public BatchRequest parse(byte[] body) {
    JsonNode root;
    try {
      root = STRICT.readTree(body);
    } catch (IOException e) {
      throw invalid(List.of(new FieldError("body", "is not valid JSON")));
    }
    if (!(root instanceof ObjectNode object)) {
      throw invalid(List.of(new FieldError("body", "must be a JSON object")));
    }
    List<FieldError> problems = new ArrayList<>();
    for (Iterator<String> names = object.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        problems.add(new FieldError(name, "is not a field of a batch"));
      }
    }
    String fileId = text(object.get("input_file_id"));
    if (fileId == null || fileId.isEmpty()) {
      problems.add(
          new FieldError(
              "input_file_id", "is required (the ID of a file uploaded with purpose batch)"));
    }
    String endpoint = text(object.get("endpoint"));
    if (!CHAT_COMPLETIONS.equals(endpoint)) {
      problems.add(new FieldError("endpoint", "must be " + CHAT_COMPLETIONS));
    }
    CompletionWindow window =
        CompletionWindow.parse(text(object.get("completion_window"))).orElse(null);
    if (window == null) {
      problems.add(
          new FieldError(
              "completion_window",
              "must be 24h (the deferred lane, at the batch price) or 1h to 23h (realtime lanes,"
                  + " finished within the window)"));
    }
    Map<String, String> metadata = readMetadata(object.get("metadata"), problems);
    if (!problems.isEmpty()) {
      throw invalid(problems);
    }
    return new BatchRequest(fileId, endpoint, window, metadata);
  }

  private static Map<String, String> readMetadata(JsonNode node, List<FieldError> problems) {
    Map<String, String> metadata = new LinkedHashMap<>();
    if (node == null || node.isNull()) {
      return metadata;
    }
    if (!node.isObject()) {
      problems.add(new FieldError("metadata", "must be an object of strings"));
      return metadata;
    }
    if (node.size() > MAX_METADATA) {
      problems.add(new FieldError("metadata", "has more than " + MAX_METADATA + " pairs"));
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      String key = entry.getKey();
      JsonNode value = entry.getValue();
      if (key.length() > MAX_METADATA_KEY) {
        problems.add(new FieldError("metadata", "has a key longer than " + MAX_METADATA_KEY));
      } else if (!value.isTextual() || value.asText().length() > MAX_METADATA_VALUE) {
        problems.add(
            new FieldError(
                "metadata." + key, "must be a string of at most " + MAX_METADATA_VALUE + " chars"));
      } else {
        metadata.put(key, value.asText());
      }
    }
    return metadata;
  }

  private static String text(JsonNode node) {
    return node != null && node.isTextual() ? node.asText() : null;
  }

  private static InvalidJobRequestException invalid(List<FieldError> problems) {
    return InvalidJobRequestException.of(problems);
  }
}
