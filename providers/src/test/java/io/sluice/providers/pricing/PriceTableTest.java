package io.sluice.providers.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.schemas.job.TokenUsage;
import io.sluice.schemas.model.ModelCatalog;
import io.sluice.schemas.model.ModelRoute;
import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PriceTableTest {
  private final PriceTable table = PriceTable.defaults();

  @Test
  void shouldPriceEveryDefaultCatalogModel() {
    ModelCatalog catalog = ModelCatalog.defaults();
    catalog.names().stream()
        .map(name -> catalog.resolve(name).orElseThrow())
        .map(ModelRoute::providerModel)
        .forEach(model -> assertThat(table.price(model)).as(model).isPresent());
  }

  @Test
  void shouldComputeRealtimeCostFromUsage() {
    // 1,000 in × $2.50/M + 500 out × $10/M = $0.0025 + $0.005
    assertThat(table.realtimeCost("gpt-4o", new TokenUsage(1_000, 500)))
        .isEqualByComparingTo("0.0075");
    assertThat(table.realtimeCost("claude-sonnet-4-5", new TokenUsage(1_000_000, 1_000_000)))
        .isEqualByComparingTo("18");
    // Gemini 2.5 Flash: 1M in × $0.30 + 1M out × $2.50
    assertThat(table.realtimeCost("gemini-2.5-flash", new TokenUsage(1_000_000, 1_000_000)))
        .isEqualByComparingTo("2.80");
  }

  @Test
  void shouldComputeBatchCostAtHalfPrice() {
    assertThat(table.batchCost("gpt-4o", new TokenUsage(1_000, 500)))
        .isEqualByComparingTo("0.00375");
    assertThat(table.cost("gpt-4o-mini", new TokenUsage(2_000_000, 0), true))
        .isEqualByComparingTo("0.15");
  }

  @Test
  void shouldStayExactForTinyCalls() {
    assertThat(table.realtimeCost("gpt-4o-mini", new TokenUsage(1, 1)))
        .isEqualByComparingTo(new BigDecimal("0.00000075"));
  }

  @Test
  void shouldFindDatedSnapshotsOfListedModels() {
    assertThat(table.realtimeCost("gpt-4o-mini-2024-07-18", new TokenUsage(1_000_000, 0)))
        .isEqualByComparingTo("0.15");
    assertThat(table.realtimeCost("claude-haiku-4-5-20251001", new TokenUsage(0, 1_000_000)))
        .isEqualByComparingTo("5");
  }

  @Test
  void shouldReturnNullCostForUnknownModels() {
    assertThat(table.realtimeCost("llama-3-70b", new TokenUsage(10, 10))).isNull();
    assertThat(table.batchCost(null, new TokenUsage(10, 10))).isNull();
    assertThat(table.realtimeCost("gpt-4o-mini-turbo", new TokenUsage(10, 10))).isNull();
  }

  @Test
  void shouldLoadPricesFromJsonWithExplicitOrDefaultBatchPrices() {
    PriceTable loaded =
        PriceTable.fromJson(
            """
            {"llama-3-70b": {"input_per_million": 0.6, "output_per_million": 0.8},
             "gpt-4o": {"input_per_million": 2.5, "output_per_million": 10,
                        "batch_input_per_million": 1, "batch_output_per_million": 4}}
            """);
    assertThat(loaded.batchCost("llama-3-70b", new TokenUsage(1_000_000, 1_000_000)))
        .isEqualByComparingTo("0.7");
    assertThat(loaded.batchCost("gpt-4o", new TokenUsage(1_000_000, 1_000_000)))
        .isEqualByComparingTo("5");
  }

  @Test
  void shouldOverrideDefaults() {
    PriceTable custom = table.with(Map.of("gpt-4o", ModelPrice.of("1", "2")));
    assertThat(custom.realtimeCost("gpt-4o", new TokenUsage(1_000_000, 1_000_000)))
        .isEqualByComparingTo("3");
    assertThat(custom.price("claude-sonnet-4-5")).isPresent();
  }

  @Test
  void shouldRejectBadPrices() {
    assertThatThrownBy(() -> ModelPrice.of("-1", "2"))
        .hasMessage("input-per-million must not be negative, was -1");
    assertThatThrownBy(() -> PriceTable.fromJson("{\"m\": {\"output_per_million\": 1}}"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("input-per-million must be set");
    assertThatThrownBy(() -> PriceTable.fromJson("{not json"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("pricing: ");
  }
}
