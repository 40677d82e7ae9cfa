package io.sluice.mapreduce;

import java.math.BigDecimal;
import java.util.Optional;

/**
 * A request's own limits, checked against its estimate before anything is created: job-api refuses
 * a job over either with a 422 naming the limit and the estimate.
 *
 * @param maxChunks {@code max_chunks}, the fan-out cap; {@code null} for none
 * @param maxCostUsd {@code max_cost_usd} (checked as a {@link CostCap}); {@code null} for none
 */
public record MapReduceCaps(Integer maxChunks, BigDecimal maxCostUsd) {

  /** No caps. */
  public static final MapReduceCaps NONE = new MapReduceCaps(null, null);

  public MapReduceCaps {
    if (maxChunks != null && maxChunks < 1) {
      throw new MapReduceRefusal("max_chunks", "max_chunks must be at least 1, was " + maxChunks);
    }
    if (maxCostUsd != null) {
      new CostCap(maxCostUsd);
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
    return new CostCap(maxCostUsd)
        .check(
            estimate.cost(basis),
            basis,
            estimate.map().realtimeUsd().isEmpty()
                ? estimate.map().model()
                : estimate.reduce().model());
  }
}
