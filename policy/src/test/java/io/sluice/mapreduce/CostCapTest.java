package io.sluice.mapreduce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class CostCapTest {
  private final CostCap cap = new CostCap(new BigDecimal("0.01"));

  @Test
  void shouldRefuseAnEstimateAboveTheCapNamingThePriceBasis() {
    assertThat(cap.check(Optional.of(new BigDecimal("0.0100001")), PriceBasis.BATCH, "m"))
        .hasValueSatisfying(
            r -> {
              assertThat(r.field()).isEqualTo("max_cost_usd");
              assertThat(r.getMessage())
                  .isEqualTo(
                      "the estimated cost is 0.010001 USD at the batch price, more than"
                          + " max_cost_usd 0.01");
            });
    assertThat(cap.check(Optional.of(new BigDecimal("0.01")), PriceBasis.REALTIME, "m")).isEmpty();
  }

  @Test
  void shouldRefuseWhenTheModelHasNoPrice() {
    assertThat(cap.check(Optional.empty(), PriceBasis.REALTIME, "mystery"))
        .hasValueSatisfying(r -> assertThat(r.getMessage()).contains("model mystery has no price"));
  }

  @Test
  void shouldStopOnceTheSpentCostReachesTheCapButNotOnAnUnknownCost() {
    assertThat(cap.reachedBy(new BigDecimal("0.0099999"))).isFalse();
    assertThat(cap.reachedBy(new BigDecimal("0.01"))).isTrue();
    assertThat(cap.reachedBy(new BigDecimal("0.02"))).isTrue();
    assertThat(cap.reachedBy(null)).isFalse();
    assertThat(cap.stopMessage(new BigDecimal("0.0123")))
        .isEqualTo(
            "the job spent 0.0123 USD, which reaches its max_cost_usd of 0.01 USD; no further"
                + " provider call was made");
  }

  @Test
  void shouldAcceptOnlyAPositiveCap() {
    assertThat(CostCap.problemWith(new BigDecimal("0.000001"))).isEmpty();
    assertThat(CostCap.problemWith(BigDecimal.ZERO)).isPresent();
    assertThat(CostCap.problemWith(new BigDecimal("-1"))).isPresent();
    assertThatThrownBy(() -> new CostCap(BigDecimal.ZERO)).isInstanceOf(MapReduceRefusal.class);
  }
}
