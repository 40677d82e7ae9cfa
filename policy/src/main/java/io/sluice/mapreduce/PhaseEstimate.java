package io.sluice.mapreduce;

import java.math.BigDecimal;
import java.util.Optional;

/**
 * The calls of one phase (map or reduce) and what they are expected to use at most.
 *
 * @param model the model they call
 * @param calls how many calls
 * @param inputTokens their prompts together, instructions included
 * @param outputTokens their outputs together, each taken at its {@code max_tokens}
 * @param realtimeUsd the cost at the realtime price; empty when the model has no price
 * @param batchUsd the cost at the batch price; empty when the model has no price
 */
public record PhaseEstimate(
    String model,
    int calls,
    long inputTokens,
    long outputTokens,
    Optional<BigDecimal> realtimeUsd,
    Optional<BigDecimal> batchUsd) {

  /** The estimate of these calls, priced by {@code prices}. */
  static PhaseEstimate of(
      String model, int calls, long inputTokens, long outputTokens, ModelPrices prices) {
    Optional<TokenPrices> price = prices.of(model);
    return new PhaseEstimate(
        model,
        calls,
        inputTokens,
        outputTokens,
        price.map(p -> p.cost(inputTokens, outputTokens, PriceBasis.REALTIME)),
        price.map(p -> p.cost(inputTokens, outputTokens, PriceBasis.BATCH)));
  }

  /** The cost at one price basis. */
  public Optional<BigDecimal> cost(PriceBasis basis) {
    return basis == PriceBasis.BATCH ? batchUsd : realtimeUsd;
  }
}
