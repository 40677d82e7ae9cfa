package io.sluice.mapreduce;

import java.math.BigDecimal;
import java.util.Optional;

/**
 * What a map-reduce job will spend, before it spends anything: exact chunk and map-call counts (the
 * chunker runs on the document), and upper bounds for the reduce, computed as if every map and
 * reduce output were as long as its {@code max_tokens}.
 *
 * @param chunks chunks of the document (one map call each)
 * @param treeDepth rounds of reduce calls (1 when one call combines every map output)
 * @param map the map calls
 * @param reduce the reduce calls, every round together
 */
public record MapReduceEstimate(
    int chunks, int treeDepth, PhaseEstimate map, PhaseEstimate reduce) {

  public int mapCalls() {
    return map.calls();
  }

  public int reduceCalls() {
    return reduce.calls();
  }

  /** Input tokens of all calls. */
  public long inputTokens() {
    return map.inputTokens() + reduce.inputTokens();
  }

  /** Output tokens of all calls, each at its {@code max_tokens}. */
  public long outputTokens() {
    return map.outputTokens() + reduce.outputTokens();
  }

  /** The cost of every call at one price basis; empty when a model has no price. */
  public Optional<BigDecimal> cost(PriceBasis basis) {
    return map.cost(basis).flatMap(m -> reduce.cost(basis).map(m::add));
  }
}
