package io.sluice.providers.pricing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonMappingException;
import io.sluice.schemas.job.TokenUsage;
import io.sluice.schemas.json.Json;
import io.sluice.schemas.model.CatalogModel;
import io.sluice.schemas.model.ProviderRegistration;
import io.sluice.schemas.model.ProviderRegistry;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Prices per model, and the cost of a call from its actual usage: {@code input × inputPrice +
 * output × outputPrice}, per million tokens, exact in {@link BigDecimal}. A model is found by its
 * exact name, or by a dated snapshot of a listed name ({@code gpt-4o-mini-2024-07-18} → {@code
 * gpt-4o-mini}, {@code claude-haiku-4-5-20251001} → {@code claude-haiku-4-5}). An unknown model has
 * an unknown cost: {@code null}, never an exception.
 */
public final class PriceTable {
  private static final Pattern SNAPSHOT_SUFFIX = Pattern.compile("-(\\d{4}-\\d{2}-\\d{2}|\\d{8})$");
  private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

  private final Map<String, ModelPrice> prices;

  private PriceTable(Map<String, ModelPrice> prices) {
    this.prices = Map.copyOf(prices);
  }

  /**
   * A table from configuration.
   *
   * @param prices model name → price
   * @throws IllegalArgumentException when a model name is blank or a price missing
   */
  public static PriceTable of(Map<String, ModelPrice> prices) {
    prices.forEach(
        (model, price) -> {
          if (model == null || model.isBlank()) {
            throw new IllegalArgumentException("pricing: a model name must not be blank");
          }
          if (price == null) {
            throw new IllegalArgumentException("pricing: model '" + model + "' has no price");
          }
        });
    return new PriceTable(prices);
  }

  /**
   * A table from JSON, e.g. {@code {"gpt-4o": {"input_per_million": 2.5, "output_per_million":
   * 10}}}; {@code batch_input_per_million} and {@code batch_output_per_million} are optional.
   *
   * @throws IllegalArgumentException naming the problem when the JSON does not fit
   */
  public static PriceTable fromJson(String json) {
    try {
      return of(Json.mapper().readValue(json, new TypeReference<Map<String, ModelPrice>>() {}));
    } catch (JsonMappingException e) {
      throw new IllegalArgumentException("pricing: " + e.getOriginalMessage(), e);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("pricing: not valid JSON: " + e.getOriginalMessage(), e);
    }
  }

  /**
   * Public list prices (USD per million tokens) of every model of every {@linkplain
   * ProviderRegistry registered provider}, as its registration lists them (batch prices default to
   * half): the models of {@code ModelCatalog.defaults()}.
   */
  public static PriceTable defaults() {
    Map<String, ModelPrice> prices = new LinkedHashMap<>();
    for (ProviderRegistration provider : ProviderRegistry.all()) {
      for (CatalogModel model : provider.models()) {
        prices.put(
            model.name(),
            new ModelPrice(
                model.inputPerMillion(),
                model.outputPerMillion(),
                model.batchInputPerMillion(),
                model.batchOutputPerMillion()));
      }
    }
    return new PriceTable(prices);
  }

  /** This table with some models added or replaced. */
  public PriceTable with(Map<String, ModelPrice> overrides) {
    Map<String, ModelPrice> merged = new LinkedHashMap<>(prices);
    merged.putAll(of(overrides).prices);
    return new PriceTable(merged);
  }

  /** The price of a model (exact name or dated snapshot), if listed. */
  public Optional<ModelPrice> price(String model) {
    if (model == null) {
      return Optional.empty();
    }
    ModelPrice exact = prices.get(model);
    if (exact != null) {
      return Optional.of(exact);
    }
    return Optional.ofNullable(prices.get(SNAPSHOT_SUFFIX.matcher(model).replaceFirst("")));
  }

  /**
   * The cost of a realtime call, in USD.
   *
   * @return the exact cost, or {@code null} when the model is not listed
   */
  public BigDecimal realtimeCost(String model, TokenUsage usage) {
    return price(model)
        .map(p -> cost(usage, p.inputPerMillion(), p.outputPerMillion()))
        .orElse(null);
  }

  /**
   * The cost of a call made through a provider batch, in USD.
   *
   * @return the exact cost, or {@code null} when the model is not listed
   */
  public BigDecimal batchCost(String model, TokenUsage usage) {
    return price(model)
        .map(p -> cost(usage, p.batchInputPerMillion(), p.batchOutputPerMillion()))
        .orElse(null);
  }

  /** The cost of a call in the given lane kind; {@code batch} selects the batch price. */
  public BigDecimal cost(String model, TokenUsage usage, boolean batch) {
    return batch ? batchCost(model, usage) : realtimeCost(model, usage);
  }

  /** Every listed model and its price. */
  public Map<String, ModelPrice> asMap() {
    return prices;
  }

  private static BigDecimal cost(TokenUsage usage, BigDecimal inputPrice, BigDecimal outputPrice) {
    BigDecimal input = BigDecimal.valueOf(usage.inputTokens()).multiply(inputPrice);
    BigDecimal output = BigDecimal.valueOf(usage.outputTokens()).multiply(outputPrice);
    return input.add(output).divide(MILLION);
  }
}
