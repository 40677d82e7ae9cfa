package io.sluice.workers;

import io.sluice.providers.pricing.PriceTable;
import io.sluice.schemas.job.TokenUsage;
import java.math.BigDecimal;

/**
 * Prices a successful call. A seam for the providers module's pricing table; until it is wired in,
 * {@link #UNKNOWN} records no cost.
 */
@FunctionalInterface
public interface CostCalculator {
  /** Records no cost: {@code cost_usd} stays absent from task results. */
  CostCalculator UNKNOWN = (provider, model, usage) -> null;

  /** Realtime (non-batch) prices from a price table; {@code null} for models it does not list. */
  static CostCalculator realtimePrices(PriceTable table) {
    return (provider, model, usage) -> table.realtimeCost(model, usage);
  }

  /**
   * @return the call's cost in US dollars, or {@code null} when the model's price is unknown
   */
  BigDecimal costUsd(String provider, String model, TokenUsage usage);
}
