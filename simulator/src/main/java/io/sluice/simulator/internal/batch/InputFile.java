package io.sluice.simulator.internal.batch;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.schemas.json.Json;
import io.sluice.simulator.internal.http.ApiError;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * An OpenAI batch input file, checked the way the Files API checks {@code purpose=batch} uploads:
 * JSONL lines {@code {"custom_id","method":"POST","url","body"}}, unique {@code custom_id}s, one
 * model per file, at most 50,000 lines and 200 MB.
 */
public final class InputFile {
  public static final int MAX_LINES = 50_000;
  public static final long MAX_BYTES = 200L * 1024 * 1024;

  /** The endpoints a batch line may name. */
  public static final Set<String> URLS =
      Set.of("/v1/chat/completions", "/v1/responses", "/v1/embeddings", "/v1/completions");

  /** One checked line. */
  public record Line(int number, String customId, String url, JsonNode body, String model) {}

  private InputFile() {}

  /** The file's lines; throws a 400 {@link ApiError} naming the first problem. */
  public static List<Line> parse(byte[] content) {
    if (content.length > MAX_BYTES) {
      throw ApiError.badRequest(
          "File is too large: " + content.length + " bytes; the limit for batch files is 200 MB.",
          "file");
    }
    List<Line> lines = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    Set<String> models = new HashSet<>();
    String[] rows = new String(content, StandardCharsets.UTF_8).split("\n");
    for (int i = 0; i < rows.length; i++) {
      String row = rows[i].strip();
      if (row.isEmpty()) {
        continue;
      }
      Line line = line(row, i + 1);
      if (!ids.add(line.customId())) {
        throw invalid(line.number(), "Duplicate custom_id '" + line.customId() + "'");
      }
      models.add(line.model());
      if (models.size() > 1) {
        throw invalid(
            line.number(), "All requests in a batch file must use the same model; found " + models);
      }
      lines.add(line);
      if (lines.size() > MAX_LINES) {
        throw ApiError.badRequest(
            "A batch file may contain at most " + MAX_LINES + " requests.", "file");
      }
    }
    if (lines.isEmpty()) {
      throw ApiError.badRequest("The batch file contains no requests.", "file");
    }
    return lines;
  }

  private static Line line(String row, int number) {
    JsonNode node;
    try {
      node = Json.mapper().readTree(row);
    } catch (JsonProcessingException e) {
      throw invalid(number, "Invalid JSON: " + e.getOriginalMessage());
    }
    if (node == null || !node.isObject()) {
      throw invalid(number, "Each line must be a JSON object");
    }
    String customId = node.path("custom_id").asText("");
    if (!node.path("custom_id").isTextual() || customId.isEmpty()) {
      throw invalid(number, "Missing required field 'custom_id'");
    }
    if (!"POST".equals(node.path("method").asText())) {
      throw invalid(number, "Field 'method' must be 'POST'");
    }
    String url = node.path("url").asText("");
    if (!URLS.contains(url)) {
      throw invalid(number, "Field 'url' must be one of " + URLS + ", got '" + url + "'");
    }
    JsonNode body = node.get("body");
    if (body == null || !body.isObject() || !body.path("model").isTextual()) {
      throw invalid(number, "Field 'body' must be an object with a 'model'");
    }
    return new Line(number, customId, url, body, body.path("model").asText());
  }

  private static ApiError invalid(int line, String message) {
    return ApiError.badRequest("Invalid batch file, line " + line + ": " + message + ".", "file");
  }
}
