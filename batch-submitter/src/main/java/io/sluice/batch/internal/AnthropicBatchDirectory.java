package io.sluice.batch.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.batch.plan.BatchIds;
import io.sluice.batch.store.StoredBatch;
import io.sluice.providers.BatchItemResult;
import io.sluice.providers.BatchProvider;
import io.sluice.providers.ProviderConfig;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Set;

/**
 * Anthropic's message batches carry no metadata, so a batch is recognised by its lines: every
 * {@code custom_id} starts with Sluice's batch ID. The list shows only counts, so the candidates
 * are the batches created since a little before the submit, not adopted by another Sluice batch,
 * with exactly as many requests; an ended candidate is checked by its results, and while a
 * candidate has not ended the answer is {@link Lookup.Undecided} (never a second submit that might
 * duplicate it).
 */
final class AnthropicBatchDirectory implements BatchDirectory {
  private final ProviderLists lists;
  private final BatchProvider batches;
  private final Duration skew;

  AnthropicBatchDirectory(ProviderConfig config, BatchProvider batches, Duration skew) {
    this.lists = new ProviderLists(config);
    this.batches = batches;
    this.skew = skew;
  }

  @Override
  public Lookup find(StoredBatch batch, Set<String> adopted) {
    Instant since = batch.submittingAt().minus(skew);
    String after = null;
    boolean undecided = false;
    while (true) {
      String query =
          "/v1/messages/batches?limit=100"
              + (after == null
                  ? ""
                  : "&after_id=" + URLEncoder.encode(after, StandardCharsets.UTF_8));
      JsonNode page = lists.page(query, true);
      boolean older = false;
      for (JsonNode entry : page.path("data")) {
        String id = entry.path("id").asText();
        after = id;
        Instant created = OffsetDateTime.parse(entry.path("created_at").asText()).toInstant();
        if (created.isBefore(since)) {
          older = true;
          continue;
        }
        if (adopted.contains(id) || total(entry.path("request_counts")) != batch.lineCount()) {
          continue;
        }
        if (!"ended".equals(entry.path("processing_status").asText())) {
          undecided = true;
        } else if (ours(id, batch.batchId())) {
          return new Lookup.Found(id);
        }
      }
      if (older || !page.path("has_more").asBoolean(false) || after == null) {
        return undecided
            ? new Lookup.Undecided("a message batch of the same size has not ended yet")
            : new Lookup.NotFound();
      }
    }
  }

  private boolean ours(String providerBatchId, String batchId) {
    return batches.results(providerBatchId).stream()
        .map(BatchItemResult::customId)
        .anyMatch(customId -> BatchIds.belongsTo(customId, batchId));
  }

  private static long total(JsonNode counts) {
    return counts.path("processing").asLong()
        + counts.path("succeeded").asLong()
        + counts.path("errored").asLong()
        + counts.path("canceled").asLong()
        + counts.path("expired").asLong();
  }
}
