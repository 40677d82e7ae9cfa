package io.sluice.schemas.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * How far a map-reduce job has come, carried by its events and shown by {@code GET /v1/jobs/{id}}.
 *
 * @param phase {@code map} while chunks are mapped, then {@code reduce}
 * @param chunksDone chunks whose map call has ended (succeeded or skipped)
 * @param chunksTotal chunks of the document
 * @param reduceLevel the reduce level under way (1 for the calls over the map outputs), 0 in map
 * @param mapCalls map calls ended
 * @param reduceCalls reduce calls ended
 * @param treeDepth the reduce levels run so far (the final depth once the job has succeeded)
 * @param skippedChunks the chunks left out ({@code on_chunk_error: skip}), in order
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MapReduceProgress(
    String phase,
    int chunksDone,
    int chunksTotal,
    int reduceLevel,
    int mapCalls,
    int reduceCalls,
    int treeDepth,
    List<Integer> skippedChunks) {
  public static final String MAP = "map";
  public static final String REDUCE = "reduce";

  public MapReduceProgress {
    skippedChunks = skippedChunks == null ? List.of() : List.copyOf(skippedChunks);
  }
}
