package io.sluice.mapreduce;

import java.util.Optional;

/**
 * Where the estimate reads prices. Sluice keeps them in one place, {@code
 * io.sluice.providers.pricing.PriceTable} (the catalogue's list prices plus the deployment's
 * overrides), which the {@code policy} module cannot depend on; the caller adapts it:
 *
 * <pre>{@code
 * ModelPrices prices = model -> table.price(model).map(p -> new TokenPrices(
 *     p.inputPerMillion(), p.outputPerMillion(), p.batchInputPerMillion(), p.batchOutputPerMillion()));
 * }</pre>
 */
@FunctionalInterface
public interface ModelPrices {

  /** A model's prices, or empty when it has none (its cost is then unknown). */
  Optional<TokenPrices> of(String model);
}
