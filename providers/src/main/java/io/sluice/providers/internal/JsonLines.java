package io.sluice.providers.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.schemas.json.Json;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reads JSONL: one JSON object per line; blank lines are skipped. */
public final class JsonLines {
  private static final Logger log = LoggerFactory.getLogger(JsonLines.class);

  private JsonLines() {}

  /**
   * The objects of a JSONL text. A line that is not a JSON object is skipped and counted in a
   * warning: its {@code custom_id} then has no result, which {@code results(batchId, customIds)}
   * reports as {@code missing_result}.
   */
  public static List<JsonNode> parse(String jsonl) {
    List<JsonNode> lines = new ArrayList<>();
    int skipped = 0;
    for (String line : jsonl.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      try {
        JsonNode node = Json.mapper().readTree(line);
        if (node != null && node.isObject()) {
          lines.add(node);
        } else {
          skipped++;
        }
      } catch (JsonProcessingException e) {
        skipped++;
      }
    }
    if (skipped > 0) {
      log.warn("skipped {} unreadable result lines; their requests will count as missing", skipped);
    }
    return lines;
  }
}
