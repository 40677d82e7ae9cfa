package io.sluice.batch.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.batch.plan.BatchIds;
import io.sluice.batch.store.StoredBatch;
import io.sluice.providers.ProviderConfig;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * OpenAI keeps Sluice's batch ID in each batch's metadata ({@value BatchIds#METADATA_KEY}), so a
 * batch is found by reading {@code GET /v1/batches} (newest first) back to a little before the
 * submit was attempted.
 */
final class OpenAiBatchDirectory implements BatchDirectory {
  private final ProviderLists lists;
  private final Duration skew;

  OpenAiBatchDirectory(ProviderConfig config, Duration skew) {
    this.lists = new ProviderLists(config);
    this.skew = skew;
  }

  @Override
  public Lookup find(StoredBatch batch, Set<String> adopted) {
    Instant since = batch.submittingAt().minus(skew);
    String after = null;
    while (true) {
      String query =
          "/v1/batches?limit=100"
              + (after == null ? "" : "&after=" + URLEncoder.encode(after, StandardCharsets.UTF_8));
      JsonNode page = lists.page(query, false);
      boolean older = false;
      for (JsonNode entry : page.path("data")) {
        if (batch.batchId().equals(entry.path("metadata").path(BatchIds.METADATA_KEY).asText())) {
          return new Lookup.Found(entry.path("id").asText());
        }
        Instant created = Instant.ofEpochSecond(entry.path("created_at").asLong());
        older |= created.isBefore(since);
        after = entry.path("id").asText();
      }
      if (older || !page.path("has_more").asBoolean(false) || after == null) {
        return new Lookup.NotFound();
      }
    }
  }
}
