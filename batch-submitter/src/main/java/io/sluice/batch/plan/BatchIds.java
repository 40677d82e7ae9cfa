package io.sluice.batch.plan;

import java.util.Locale;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Sluice's own batch IDs and the {@code custom_id}s of their lines. A line's {@code custom_id} is
 * {@code <sluice batch ID>-<item ID>}: it names its batch (Anthropic keeps no batch metadata, so
 * the {@code custom_id}s are how a restart recognises a batch it created) and fits Anthropic's rule
 * ({@code [A-Za-z0-9_-]{1,64}}), which task IDs ({@code <job>.c}) do not.
 */
public final class BatchIds {
  /** The metadata key under which OpenAI batches carry Sluice's batch ID. */
  public static final String METADATA_KEY = "sluice_batch";

  private static final Pattern BATCH_ID = Pattern.compile("sb[0-9a-f]{32}");

  private BatchIds() {}

  /** A new batch ID: {@code sb} and 32 hex digits. */
  public static String newBatchId() {
    return "sb" + UUID.randomUUID().toString().replace("-", "").toLowerCase(Locale.ROOT);
  }

  /** The {@code custom_id} of an item's line in a batch. */
  public static String customId(String batchId, long itemId) {
    requireBatchId(batchId);
    return batchId + "-" + itemId;
  }

  /** Whether a {@code custom_id} belongs to a line of the given batch. */
  public static boolean belongsTo(String customId, String batchId) {
    return customId != null && customId.startsWith(requireBatchId(batchId) + "-");
  }

  private static String requireBatchId(String batchId) {
    Objects.requireNonNull(batchId, "batchId");
    if (!BATCH_ID.matcher(batchId).matches()) {
      throw new IllegalArgumentException("not a Sluice batch ID: " + batchId);
    }
    return batchId;
  }
}
