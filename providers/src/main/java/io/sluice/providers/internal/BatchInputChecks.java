package io.sluice.providers.internal;

import io.sluice.providers.BatchLimits;
import io.sluice.providers.BatchRejectedException;
import io.sluice.providers.BatchRequest;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/** Refuses batch input that breaks a provider's rules or limits, before anything is sent. */
public final class BatchInputChecks {
  /** Anthropic's {@code custom_id} rule. */
  public static final Pattern ANTHROPIC_CUSTOM_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

  /** OpenAI's {@code custom_id}: any non-blank text. */
  public static final Pattern ANY_CUSTOM_ID = Pattern.compile("(?s).*\\S.*");

  /** OpenAI's metadata limit: 16 pairs. */
  public static final int MAX_METADATA_PAIRS = 16;

  private static final Pattern BATCH_ID = Pattern.compile("[A-Za-z0-9_.-]{1,200}");

  private BatchInputChecks() {}

  /**
   * Checks the lines of one batch.
   *
   * @return the one model every line calls
   * @throws BatchRejectedException when the batch is empty, has too many lines, has a duplicate or
   *     invalid {@code custom_id}, mixes models, or has an invalid call
   */
  public static String check(
      String provider, BatchLimits limits, List<BatchRequest> requests, Pattern customIdRule) {
    if (requests == null || requests.isEmpty()) {
      throw invalid(provider, "a batch needs at least one request");
    }
    if (requests.size() > limits.maxRequests()) {
      throw new BatchRejectedException(
          provider,
          BatchRejectedException.TOO_LARGE,
          requests.size()
              + " requests exceed the limit of "
              + limits.maxRequests()
              + " per batch; split the batch");
    }
    String model = requests.getFirst().spec().model();
    Set<String> seen = new HashSet<>();
    for (BatchRequest request : requests) {
      checkLine(provider, request, customIdRule, model);
      if (!seen.add(request.customId())) {
        throw invalid(provider, "custom_id '" + request.customId() + "' appears more than once");
      }
    }
    return model;
  }

  /**
   * @throws BatchRejectedException when the encoded batch is larger than the byte limit
   */
  public static void checkBytes(String provider, BatchLimits limits, long bytes) {
    if (bytes > limits.maxBytes()) {
      throw new BatchRejectedException(
          provider,
          BatchRejectedException.TOO_LARGE,
          "the batch input is "
              + bytes
              + " bytes, over the limit of "
              + limits.maxBytes()
              + " bytes per batch; split the batch");
    }
  }

  /**
   * @throws BatchRejectedException when there are more than 16 metadata pairs
   */
  public static void checkMetadata(String provider, Map<String, String> metadata) {
    if (metadata != null && metadata.size() > MAX_METADATA_PAIRS) {
      throw invalid(
          provider,
          "batch metadata has " + metadata.size() + " pairs, more than " + MAX_METADATA_PAIRS);
    }
  }

  /**
   * @throws IllegalArgumentException when a batch ID could not be one the provider issued (it goes
   *     into a URL path)
   */
  public static String requireBatchId(String batchId) {
    if (batchId == null || !BATCH_ID.matcher(batchId).matches()) {
      throw new IllegalArgumentException("not a provider batch ID: '" + batchId + "'");
    }
    return batchId;
  }

  private static void checkLine(
      String provider, BatchRequest request, Pattern customIdRule, String model) {
    if (!customIdRule.matcher(request.customId()).matches()) {
      throw invalid(
          provider,
          "custom_id '" + request.customId() + "' does not match " + customIdRule.pattern());
    }
    try {
      RequestChecks.requireValid(provider, request.spec());
    } catch (io.sluice.providers.ProviderException e) {
      throw invalid(provider, "custom_id '" + request.customId() + "': " + e.getMessage());
    }
    if (!model.equals(request.spec().model())) {
      throw invalid(
          provider,
          "a batch holds one model: custom_id '"
              + request.customId()
              + "' calls "
              + request.spec().model()
              + ", the first line "
              + model);
    }
  }

  private static BatchRejectedException invalid(String provider, String message) {
    return new BatchRejectedException(provider, BatchRejectedException.INVALID, message);
  }
}
