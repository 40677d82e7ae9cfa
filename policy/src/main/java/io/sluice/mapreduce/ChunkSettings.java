package io.sluice.mapreduce;

/**
 * How a request asks its document to be split.
 *
 * @param chunkTokens the most tokens of document text in one chunk ({@code chunk_tokens})
 * @param overlapTokens the most tokens a chunk repeats from the end of the one before ({@code
 *     overlap_tokens}); less than {@code chunkTokens}
 * @throws MapReduceRefusal naming the field when a value is out of range
 */
public record ChunkSettings(long chunkTokens, long overlapTokens) {

  public ChunkSettings {
    if (chunkTokens < 1) {
      throw new MapReduceRefusal(
          "chunk_tokens", "chunk_tokens must be at least 1, was " + chunkTokens);
    }
    if (overlapTokens < 0 || overlapTokens >= chunkTokens) {
      throw new MapReduceRefusal(
          "overlap_tokens",
          "overlap_tokens must be at least 0 and less than chunk_tokens ("
              + chunkTokens
              + "), was "
              + overlapTokens);
    }
  }

  /**
   * Refuses settings whose chunks would not fit the map call.
   *
   * @throws MapReduceRefusal naming {@code chunk_tokens} when it is over the budget's room
   */
  public void requireFits(CallBudget mapCall) {
    if (chunkTokens > mapCall.available()) {
      throw new MapReduceRefusal(
          "chunk_tokens",
          "chunk_tokens "
              + chunkTokens
              + " does not fit one map call: at most "
              + Math.max(0, mapCall.available())
              + " ("
              + mapCall.describe()
              + ")");
    }
  }
}
