package io.sluice.mapreduce;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Optional;

/**
 * A request's own limits, checked against its estimate before anything is created: job-api refuses
 * a job over either with a 422 naming the limit and the estimate.
 *
 * @param maxChunks {@code max_chunks}, the fan-out cap; {@code null} for none
 * @param maxCostUsd {@code max_cost_usd}; {@code null} for none
 */
public record MapReduceCaps(Integer maxChunks, BigDecimal maxCostUsd) {

  /** No caps. */
  public static final MapReduceCaps NONE = new MapReduceCaps(null, null);

  public MapReduceCaps {
    if (maxChunks != null && maxChunks < 1) {
      throw new MapReduceRefusal("max_chunks", "max_chunks must be at least 1, was " + maxChunks);
    }
    if (maxCostUsd != null && maxCostUsd.signum() < 0) {
      throw new MapReduceRefusal(
          "max_cost_usd", "max_cost_usd must not be negative, was " + maxCostUsd.toPlainString());
    }
  }

  /**
   * The refusal of an estimate that goes past a cap, or empty when it fits both.
   *
   * @param basis the price the job will pay ({@code BATCH} for a deferred job)
   */
  public Optional<MapReduceRefusal> check(MapReduceEstimate estimate, PriceBasis basis) {
    if (maxChunks != null && estimate.chunks() > maxChunks) {
      return Optional.of(
          new MapReduceRefusal(
              "max_chunks",
              "the document splits into "
                  + estimate.chunks()
                  + " chunks, more than max_chunks "
                  + maxChunks));
    }
    if (maxCostUsd == null) {
      return Optional.empty();
    }
    Optional<BigDecimal> cost = estimate.cost(basis);
    if (cost.isEmpty()) {
      return Optional.of(
          new MapReduceRefusal(
              "max_cost_usd",
              "the cost cannot be estimated: model "
                  + (estimate.map().realtimeUsd().isEmpty()
                      ? estimate.map().model()
                      : estimate.reduce().model())
                  + " has no price"));
    }
    if (cost.get().compareTo(maxCostUsd) > 0) {
      return Optional.of(
          new MapReduceRefusal(
              "max_cost_usd",
              "the estimated cost is "
                  + usd(cost.get())
                  + " USD at the "
                  + (basis == PriceBasis.BATCH ? "batch" : "realtime")
                  + " price, more than max_cost_usd "
                  + maxCostUsd.toPlainString()));
    }
    return Optional.empty();
  }

  private static String usd(BigDecimal amount) {
    return amount.setScale(6, RoundingMode.UP).stripTrailingZeros().toPlainString();
  }
}
