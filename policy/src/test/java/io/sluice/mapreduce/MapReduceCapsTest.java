package io.sluice.mapreduce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MapReduceCapsTest {
  private static MapReduceEstimate estimate(int chunks, String realtime, String batch) {
    PhaseEstimate map =
        new PhaseEstimate(
            "gpt-4o-mini",
            chunks,
            1_000,
            100,
            Optional.ofNullable(realtime).map(BigDecimal::new),
            Optional.ofNullable(batch).map(BigDecimal::new));
    PhaseEstimate reduce =
        new PhaseEstimate(
            "gpt-4o-mini", 1, 10, 10, Optional.of(BigDecimal.ZERO), Optional.of(BigDecimal.ZERO));
    return new MapReduceEstimate(chunks, 1, map, reduce);
  }

  @Test
  void shouldRefuseMoreChunksThanMaxChunksNamingTheLimitAndTheEstimate() {
    Optional<MapReduceRefusal> refusal =
        new MapReduceCaps(250, null).check(estimate(312, "1", "0.5"), PriceBasis.REALTIME);

    assertThat(refusal)
        .hasValueSatisfying(
            r -> {
              assertThat(r.field()).isEqualTo("max_chunks");
              assertThat(r.getMessage())
                  .isEqualTo("the document splits into 312 chunks, more than max_chunks 250");
            });
  }

  @Test
  void shouldRefuseACostOverMaxCostUsdAtThePriceTheJobWillPay() {
    MapReduceCaps caps = new MapReduceCaps(null, new BigDecimal("1.00"));
    MapReduceEstimate estimate = estimate(10, "1.2345671", "0.61728355");

    assertThat(caps.check(estimate, PriceBasis.REALTIME))
        .hasValueSatisfying(
            r -> {
              assertThat(r.field()).isEqualTo("max_cost_usd");
              assertThat(r.getMessage())
                  .isEqualTo(
                      "the estimated cost is 1.234568 USD at the realtime price, more than max_cost_usd"
                          + " 1.00");
            });
    assertThat(caps.check(estimate, PriceBasis.BATCH)).isEmpty();
  }

  @Test
  void shouldAcceptAnEstimateAtExactlyTheCaps() {
    MapReduceCaps caps = new MapReduceCaps(10, new BigDecimal("1.5"));

    assertThat(caps.check(estimate(10, "1.5", "0.75"), PriceBasis.REALTIME)).isEmpty();
    assertThat(MapReduceCaps.NONE.check(estimate(10_000, null, null), PriceBasis.BATCH)).isEmpty();
  }

  @Test
  void shouldRefuseAMaxCostWhenTheCostCannotBeEstimated() {
    assertThat(
            new MapReduceCaps(null, BigDecimal.TEN)
                .check(estimate(3, null, null), PriceBasis.REALTIME))
        .hasValueSatisfying(
            r ->
                assertThat(r.getMessage())
                    .isEqualTo("the cost cannot be estimated: model gpt-4o-mini has no price"));
  }

  @Test
  void shouldRefuseCapsOutOfRangeNamingTheField() {
    assertThatThrownBy(() -> new MapReduceCaps(0, null))
        .isInstanceOfSatisfying(
            MapReduceRefusal.class, e -> assertThat(e.field()).isEqualTo("max_chunks"));
    assertThatThrownBy(() -> new MapReduceCaps(null, new BigDecimal("-1")))
        .isInstanceOfSatisfying(
            MapReduceRefusal.class, e -> assertThat(e.field()).isEqualTo("max_cost_usd"));
  }
}
