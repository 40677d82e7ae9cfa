package io.sluice.mapreduce;

import io.sluice.schemas.job.ChatMessage;
import io.sluice.tokens.TokenEstimator;
import java.util.Collections;
import java.util.List;
import java.util.Objects;

/**
 * Works out a map-reduce job before anything is spent: it chunks the document with the map model's
 * {@link TokenEstimator} (so chunk and map-call counts are exact), plans the reduce tree as if
 * every map and reduce output were as long as its {@code max_tokens} (so reduce calls, depth and
 * tokens are upper bounds), and prices both phases at the realtime and the batch price. What {@code
 * POST /v1/jobs/estimate} answers and what the job's caps ({@link MapReduceCaps}) are checked
 * against. Thread-safe.
 */
public final class MapReduceEstimator {
  private final ModelPrices prices;
  private final int maxDepth;

  /** An estimator with the default depth bound ({@value ReduceTree#DEFAULT_MAX_DEPTH}). */
  public MapReduceEstimator(ModelPrices prices) {
    this(prices, ReduceTree.DEFAULT_MAX_DEPTH);
  }

  /**
   * @param prices where model prices come from
   * @param maxDepth the most rounds of reduce calls a job may take
   */
  public MapReduceEstimator(ModelPrices prices, int maxDepth) {
    this.prices = Objects.requireNonNull(prices, "prices");
    if (maxDepth < 1) {
      throw new IllegalArgumentException("the depth bound is at least 1, was " + maxDepth);
    }
    this.maxDepth = maxDepth;
  }

  /**
   * The estimate of a request.
   *
   * @throws MapReduceRefusal naming the field when the request cannot run as asked
   */
  public MapReduceEstimate estimate(MapReduceRequest request) {
    return plan(request).estimate();
  }

  /**
   * The chunks, the reduce tree and the estimate of a request.
   *
   * @throws MapReduceRefusal naming the field when the request cannot run as asked: an empty
   *     document, chunks that do not fit a map call, a reduce that cannot converge
   */
  public JobPlan plan(MapReduceRequest request) {
    if (request.document().isEmpty()) {
      throw new MapReduceRefusal("document", "the document is empty");
    }
    TokenEstimator mapEstimator = TokenEstimator.forModel(request.mapModel().model());
    long mapInstruction = instructionTokens(mapEstimator, request.mapInstruction());
    CallBudget mapCall =
        CallBudget.withDefaultMargin(
            request.mapModel().contextTokens(), mapInstruction, request.mapMaxTokens());
    List<Chunk> chunks =
        new Chunker(mapEstimator).split(request.document(), request.chunking(), mapCall);

    TokenEstimator reduceEstimator = TokenEstimator.forModel(request.reduceModel().model());
    long reduceInstruction = instructionTokens(reduceEstimator, request.reduceInstruction());
    CallBudget reduceCall =
        CallBudget.withDefaultMargin(
            request.reduceModel().contextTokens(), reduceInstruction, request.reduceMaxTokens());
    ReduceTree tree = new ReduceTree(ReduceGrouping.forCall(reduceCall, reduceEstimator), maxDepth);
    ReducePlan reducePlan = reducePlan(tree, chunks.size(), request);

    PhaseEstimate map =
        PhaseEstimate.of(
            request.mapModel().model(),
            chunks.size(),
            chunks.size() * mapInstruction + chunks.stream().mapToLong(Chunk::tokens).sum(),
            chunks.size() * request.mapMaxTokens(),
            prices);
    PhaseEstimate reduce =
        PhaseEstimate.of(
            request.reduceModel().model(),
            reducePlan.calls(),
            reducePlan.calls() * reduceInstruction
                + reducePlan.rounds().stream().mapToLong(ReduceRound::carriedTokens).sum(),
            reducePlan.calls() * request.reduceMaxTokens(),
            prices);
    return new JobPlan(
        chunks,
        mapCall,
        tree,
        reducePlan,
        new MapReduceEstimate(chunks.size(), reducePlan.depth(), map, reduce));
  }

  /** An instruction as a system message beside an empty user message: framing included. */
  static long instructionTokens(TokenEstimator estimator, String instruction) {
    return estimator.countMessages(List.of(ChatMessage.system(instruction), ChatMessage.user("")));
  }

  private static ReducePlan reducePlan(ReduceTree tree, int chunks, MapReduceRequest request) {
    try {
      return tree.plan(
          Collections.nCopies(chunks, request.mapMaxTokens()), request.reduceMaxTokens());
    } catch (ReduceFailure e) {
      boolean mapOutputTooLarge =
          e.reason() == ReduceFailure.Reason.PARTIAL_ANSWER_TOO_LARGE && e.level() == 0;
      throw new MapReduceRefusal(
          mapOutputTooLarge ? "map.max_tokens" : "reduce.max_tokens",
          e.getMessage()
              + " (estimated with every output at its max_tokens: map "
              + request.mapMaxTokens()
              + ", reduce "
              + request.reduceMaxTokens()
              + ")");
    }
  }
}
