package io.sluice.jobapi.mapreduce;

import io.sluice.schemas.job.ChunkErrorPolicy;
import io.sluice.schemas.job.MapReduceSpec;
import java.math.BigDecimal;
import java.util.Objects;

/**
 * A valid {@code type: "map_reduce"} request body's own fields, before planning.
 *
 * @param document the document, inline
 * @param map the map call (model, instruction, max_tokens, schema)
 * @param reduce the reduce call (model: {@code reduce.model} or the job's model)
 * @param chunkTokens {@code chunk_tokens}
 * @param overlapTokens {@code overlap_tokens}
 * @param maxChunks {@code max_chunks}, or {@code null}
 * @param maxCostUsd {@code max_cost_usd}, or {@code null}
 * @param onChunkError {@code on_chunk_error}
 * @param maxDepth {@code max_depth}, or {@code null} for the configured bound
 */
public record MapReduceInput(
    String document,
    MapReduceSpec.Phase map,
    MapReduceSpec.Phase reduce,
    long chunkTokens,
    long overlapTokens,
    Integer maxChunks,
    BigDecimal maxCostUsd,
    ChunkErrorPolicy onChunkError,
    Integer maxDepth) {

  public MapReduceInput {
    Objects.requireNonNull(document, "document");
    Objects.requireNonNull(map, "map");
    Objects.requireNonNull(reduce, "reduce");
    Objects.requireNonNull(onChunkError, "onChunkError");
  }
}
