package io.sluice.schemas.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * A map-reduce job as the dispatcher runs it: the header record of the job on {@code
 * sluice.jobs.submitted}. The document itself does not travel here; job-api has split it into
 * {@link #chunksTotal} chunks ({@link DocumentChunk} records that follow the header). The reduce
 * tree is planned by job-api with the same grouping the dispatcher applies level by level, each
 * partial answer counted at its {@code max_tokens}, so that the tree that runs is the tree the
 * estimate showed.
 *
 * @param map the map call made on every chunk
 * @param reduce the reduce call made on every group of partial answers
 * @param chunksTotal how many chunks (map calls) the document splits into
 * @param onChunkError fail the job or skip the chunk when its map call fails for good
 * @param reduceBudgetTokens what one reduce call holds besides its instruction and output
 * @param separatorTokens tokens of the separator between partial answers in a reduce prompt
 * @param maxDepth the most rounds of reduce calls
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MapReduceSpec(
    Phase map,
    Phase reduce,
    int chunksTotal,
    ChunkErrorPolicy onChunkError,
    long reduceBudgetTokens,
    long separatorTokens,
    int maxDepth) {

  public MapReduceSpec {
    Objects.requireNonNull(map, "map");
    Objects.requireNonNull(reduce, "reduce");
    onChunkError = onChunkError == null ? ChunkErrorPolicy.DEFAULT : onChunkError;
    if (chunksTotal < 1) {
      throw new IllegalArgumentException("a map-reduce job has at least 1 chunk");
    }
  }

  /**
   * One phase's call.
   *
   * @param model the model or alias as the client named it
   * @param instruction the instruction, sent as the system message
   * @param maxTokens the call's {@code max_tokens}
   * @param temperature sampling temperature, or {@code null}
   * @param responseSchema a JSON Schema for the output, or {@code null}
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Phase(
      String model,
      String instruction,
      int maxTokens,
      Double temperature,
      JsonNode responseSchema) {
    public Phase {
      Objects.requireNonNull(model, "model");
      Objects.requireNonNull(instruction, "instruction");
    }

    /** The call on {@code text}, instruction as system message and the text as user message. */
    public CompletionSpec call(String resolvedModel, String text) {
      return new CompletionSpec(
          resolvedModel,
          java.util.List.of(ChatMessage.system(instruction), ChatMessage.user(text)),
          maxTokens,
          temperature,
          responseSchema);
    }
  }
}
