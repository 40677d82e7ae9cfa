package io.sluice.jobapi.mapreduce;

import java.util.Map;

/**
 * How job-api takes map-reduce jobs.
 *
 * @param maxDocumentBytes the largest inline document, in UTF-8 bytes
 * @param defaultContextTokens the context window of a model not in {@code contextTokens}
 * @param contextTokens context windows by provider model name
 * @param maxDepth the most rounds of reduce calls a job may ask for (and the default)
 * @param defaultChunkTokens {@code chunk_tokens} when a request does not say
 * @param defaultMaxTokens a phase's {@code max_tokens} when a request does not say
 */
public record MapReduceSettings(
    long maxDocumentBytes,
    long defaultContextTokens,
    Map<String, Long> contextTokens,
    int maxDepth,
    long defaultChunkTokens,
    int defaultMaxTokens) {

  /** 10 MB documents, 128k windows (200k Claude, 1M Gemini), 8 levels, 4,000-token chunks. */
  public static final MapReduceSettings DEFAULTS =
      new MapReduceSettings(
          10_000_000,
          128_000,
          Map.of(
              "claude-haiku-4-5", 200_000L,
              "claude-sonnet-4-5", 200_000L,
              "gemini-2.5-pro", 1_048_576L,
              "gemini-2.5-flash", 1_048_576L,
              "gemini-2.0-flash", 1_048_576L),
          8,
          4_000,
          1_000);

  public MapReduceSettings {
    contextTokens = Map.copyOf(contextTokens);
    require(maxDocumentBytes >= 1, "mapReduce.maxDocumentBytes must be at least 1");
    require(defaultContextTokens >= 1, "mapReduce.defaultContextTokens must be at least 1");
    require(maxDepth >= 1 && maxDepth <= 64, "mapReduce.maxDepth must be 1 to 64");
    require(defaultChunkTokens >= 1, "mapReduce.defaultChunkTokens must be at least 1");
    require(defaultMaxTokens >= 1, "mapReduce.defaultMaxTokens must be at least 1");
    contextTokens.forEach(
        (model, tokens) ->
            require(tokens >= 1, "mapReduce.contextTokens." + model + " must be at least 1"));
  }

  /** The context window of a provider model. */
  public long contextOf(String providerModel) {
    return contextTokens.getOrDefault(providerModel, defaultContextTokens);
  }

  /** These settings with another maximum document size. */
  public MapReduceSettings withMaxDocumentBytes(long bytes) {
    return new MapReduceSettings(
        bytes, defaultContextTokens, contextTokens, maxDepth, defaultChunkTokens, defaultMaxTokens);
  }

  /** These settings with one model's context window. */
  public MapReduceSettings withContext(String providerModel, long tokens) {
    var windows = new java.util.HashMap<>(contextTokens);
    windows.put(providerModel, tokens);
    return new MapReduceSettings(
        maxDocumentBytes,
        defaultContextTokens,
        windows,
        maxDepth,
        defaultChunkTokens,
        defaultMaxTokens);
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
