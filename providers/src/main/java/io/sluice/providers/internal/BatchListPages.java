package io.sluice.providers.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.providers.BatchStatus;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Reads a provider's batch list, newest first, page by page (OpenAI and Anthropic page the same
 * way: {@code data[]}, {@code has_more}, a cursor of the last ID seen), until a batch older than
 * the given instant or the last page.
 */
public final class BatchListPages {
  private BatchListPages() {}

  /**
   * @param path the list path with its page size, e.g. {@code /v1/batches?limit=100}
   * @param cursorParameter the name of the cursor parameter ({@code after}, {@code after_id})
   * @param get fetches a path and returns the page's JSON
   * @param parse turns one entry of {@code data} into a status
   */
  public static List<BatchStatus> since(
      Instant createdSince,
      String path,
      String cursorParameter,
      Function<String, JsonNode> get,
      Function<JsonNode, BatchStatus> parse) {
    List<BatchStatus> batches = new ArrayList<>();
    String after = null;
    while (true) {
      String query =
          after == null
              ? path
              : path
                  + "&"
                  + cursorParameter
                  + "="
                  + URLEncoder.encode(after, StandardCharsets.UTF_8);
      JsonNode page = get.apply(query);
      boolean older = false;
      for (JsonNode entry : page.path("data")) {
        BatchStatus batch = parse.apply(entry);
        after = batch.batchId();
        if (batch.createdAt() != null && batch.createdAt().isBefore(createdSince)) {
          older = true;
        } else {
          batches.add(batch);
        }
      }
      if (older || !page.path("has_more").asBoolean(false) || after == null) {
        return batches;
      }
    }
  }
}
