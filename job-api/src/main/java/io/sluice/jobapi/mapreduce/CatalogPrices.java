package io.sluice.jobapi.mapreduce;

import io.sluice.mapreduce.ModelPrices;
import io.sluice.mapreduce.TokenPrices;
import io.sluice.schemas.model.CatalogModel;
import io.sluice.schemas.model.ProviderRegistration;
import io.sluice.schemas.model.ProviderRegistry;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The list prices of the registered providers' models (batch at half price where a registration
 * gives none), the same figures {@code providers}' {@code PriceTable.defaults()} reads.
 */
public final class CatalogPrices implements ModelPrices {
  private static final BigDecimal HALF = new BigDecimal("0.5");

  private final Map<String, TokenPrices> prices;

  private CatalogPrices(Map<String, TokenPrices> prices) {
    this.prices = Map.copyOf(prices);
  }

  /** The prices of every registered provider's models. */
  public static CatalogPrices registered() {
    return of(ProviderRegistry.all());
  }

  static CatalogPrices of(List<ProviderRegistration> registrations) {
    Map<String, TokenPrices> prices = new HashMap<>();
    for (ProviderRegistration registration : registrations) {
      for (CatalogModel model : registration.models()) {
        prices.put(model.name(), pricesOf(model));
      }
    }
    return new CatalogPrices(prices);
  }

  private static TokenPrices pricesOf(CatalogModel model) {
    return new TokenPrices(
        model.inputPerMillion(),
        model.outputPerMillion(),
        orHalf(model.batchInputPerMillion(), model.inputPerMillion()),
        orHalf(model.batchOutputPerMillion(), model.outputPerMillion()));
  }

  private static BigDecimal orHalf(BigDecimal batch, BigDecimal realtime) {
    return batch != null ? batch : realtime.multiply(HALF);
  }

  @Override
  public Optional<TokenPrices> of(String model) {
    return Optional.ofNullable(prices.get(model));
  }
}
