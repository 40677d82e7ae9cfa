package io.sluice.mapreduce;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Objects;
import java.util.Optional;

/**
 * A job's {@code max_cost_usd}: the one cost policy of every kind of job. Before anything is
 * created, a job whose estimate at the price its lane pays goes past the cap is refused ({@link
 * #check}); while it runs, no further provider call is made once what it spent reaches the cap
 * ({@link #reachedBy}). Map-reduce jobs (through {@link MapReduceCaps}) and completion jobs
 * (job-api at submission, the workers between a task's calls) use this same rule.
 *
 * @param maxCostUsd the cap in US dollars, greater than 0
 */
public record CostCap(BigDecimal maxCostUsd) {
  /** The field that carries the cap in a job request. */
  public static final String FIELD = "max_cost_usd";

  /** The error code of a job stopped because it spent its cap. */
  public static final String MAX_COST_EXCEEDED = "max_cost_exceeded";

  public CostCap {
    Objects.requireNonNull(maxCostUsd, "maxCostUsd");
    if (maxCostUsd.signum() <= 0) {
      throw new MapReduceRefusal(
          FIELD, FIELD + " must be greater than 0, was " + maxCostUsd.toPlainString());
    }
  }

  /** What is wrong with a requested cap, or empty when it is a valid one. */
  public static Optional<String> problemWith(BigDecimal requested) {
    return requested.signum() > 0
        ? Optional.empty()
        : Optional.of("must be a number of US dollars greater than 0");
  }

  /**
   * The refusal of a job whose estimated cost goes past the cap, or empty when it fits.
   *
   * @param estimatedCost the estimate at {@code basis}; empty when a model has no price
   * @param unpricedModel the model without a price, named when {@code estimatedCost} is empty
   */
  public Optional<MapReduceRefusal> check(
      Optional<BigDecimal> estimatedCost, PriceBasis basis, String unpricedModel) {
    if (estimatedCost.isEmpty()) {
      return Optional.of(
          new MapReduceRefusal(
              FIELD, "the cost cannot be estimated: model " + unpricedModel + " has no price"));
    }
    if (estimatedCost.get().compareTo(maxCostUsd) > 0) {
      return Optional.of(
          new MapReduceRefusal(
              FIELD,
              "the estimated cost is "
                  + usd(estimatedCost.get())
                  + " USD at the "
                  + (basis == PriceBasis.BATCH ? "batch" : "realtime")
                  + " price, more than "
                  + FIELD
                  + " "
                  + maxCostUsd.toPlainString()));
    }
    return Optional.empty();
  }

  /**
   * Whether a job that spent {@code spentUsd} so far may make no further call: true once the spent
   * cost reaches the cap. An unknown cost ({@code null}) never stops a job.
   */
  public boolean reachedBy(BigDecimal spentUsd) {
    return spentUsd != null && spentUsd.compareTo(maxCostUsd) >= 0;
  }

  /** The message of a job stopped by {@link #reachedBy}, naming what it spent and the cap. */
  public String stopMessage(BigDecimal spentUsd) {
    return "the job spent "
        + usd(spentUsd)
        + " USD, which reaches its "
        + FIELD
        + " of "
        + maxCostUsd.toPlainString()
        + " USD; no further provider call was made";
  }

  private static String usd(BigDecimal amount) {
    return amount.setScale(6, RoundingMode.UP).stripTrailingZeros().toPlainString();
  }
}
