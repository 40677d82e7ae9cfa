package io.sluice.jobapi.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.sluice.mapreduce.MapReduceEstimate;
import io.sluice.mapreduce.PhaseEstimate;
import io.sluice.mapreduce.PriceBasis;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * {@code POST /v1/jobs/estimate}: what a map-reduce job would split into and spend. Chunks and map
 * calls are exact; reduce calls, tree depth and tokens count every output at its {@code
 * max_tokens}, which is also how the dispatcher groups partial answers, so the tree that runs is
 * this one (fewer calls only when chunks are skipped). Costs are empty when a model has no price.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EstimateResource(
    int chunks,
    int treeDepth,
    int mapCalls,
    int reduceCalls,
    int calls,
    long inputTokens,
    long outputTokens,
    Cost costUsd,
    Phase map,
    Phase reduce) {

  /** A cost at the realtime and at the batch price. */
  public record Cost(BigDecimal realtime, BigDecimal batch) {}

  /** One phase's calls. */
  public record Phase(String model, int calls, long inputTokens, long outputTokens, Cost costUsd) {}

  public static EstimateResource of(MapReduceEstimate estimate) {
    return new EstimateResource(
        estimate.chunks(),
        estimate.treeDepth(),
        estimate.mapCalls(),
        estimate.reduceCalls(),
        estimate.mapCalls() + estimate.reduceCalls(),
        estimate.inputTokens(),
        estimate.outputTokens(),
        new Cost(
            usd(estimate.cost(PriceBasis.REALTIME).orElse(null)),
            usd(estimate.cost(PriceBasis.BATCH).orElse(null))),
        phase(estimate.map()),
        phase(estimate.reduce()));
  }

  private static Phase phase(PhaseEstimate phase) {
    return new Phase(
        phase.model(),
        phase.calls(),
        phase.inputTokens(),
        phase.outputTokens(),
        new Cost(usd(phase.realtimeUsd().orElse(null)), usd(phase.batchUsd().orElse(null))));
  }

  private static BigDecimal usd(BigDecimal amount) {
    return amount == null ? null : amount.setScale(6, RoundingMode.UP).stripTrailingZeros();
  }
}
