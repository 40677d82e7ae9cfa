package io.sluice.mapreduce;

import java.util.Objects;

/**
 * What the estimate needs of a map-reduce request. Each map call is assumed to carry its
 * instruction as a system message and its chunk as the user message; each reduce call its
 * instruction and a group of partial answers joined by {@link ReduceGrouping#SEPARATOR}.
 *
 * @param document the whole document
 * @param mapInstruction the instruction each chunk is mapped with
 * @param reduceInstruction the instruction partial answers are combined with
 * @param chunking {@code chunk_tokens} and {@code overlap_tokens}
 * @param mapMaxTokens {@code max_tokens} of each map call
 * @param reduceMaxTokens {@code max_tokens} of each reduce call
 * @param mapModel the model of the map calls
 * @param reduceModel the model of the reduce calls (often the same)
 */
public record MapReduceRequest(
    String document,
    String mapInstruction,
    String reduceInstruction,
    ChunkSettings chunking,
    long mapMaxTokens,
    long reduceMaxTokens,
    ModelWindow mapModel,
    ModelWindow reduceModel) {

  public MapReduceRequest {
    Objects.requireNonNull(document, "document");
    Objects.requireNonNull(mapInstruction, "mapInstruction");
    Objects.requireNonNull(reduceInstruction, "reduceInstruction");
    Objects.requireNonNull(chunking, "chunking");
    Objects.requireNonNull(mapModel, "mapModel");
    Objects.requireNonNull(reduceModel, "reduceModel");
    if (mapMaxTokens < 1) {
      throw new MapReduceRefusal("map.max_tokens", "map.max_tokens must be at least 1");
    }
    if (reduceMaxTokens < 1) {
      throw new MapReduceRefusal("reduce.max_tokens", "reduce.max_tokens must be at least 1");
    }
  }
}
