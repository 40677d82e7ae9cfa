package io.sluice.workers.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.schemas.job.TokenUsage;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class CallTotalsTest {
  @Test
  void shouldSumTokensAndCostOfEveryCallAndKeepTheLastModel() {
    CallTotals totals =
        CallTotals.NONE
            .plus(new TokenUsage(10, 2), new BigDecimal("0.001"), "m-1")
            .plus(new TokenUsage(30, 4), new BigDecimal("0.0025"), "m-2");

    assertThat(totals.calls()).isEqualTo(2);
    assertThat(totals.usage()).isEqualTo(new TokenUsage(40, 6));
    assertThat(totals.costUsd()).isEqualByComparingTo("0.0035");
    assertThat(totals.model()).isEqualTo("m-2");
  }

  @Test
  void shouldMakeTheCostUnknownOnceAnyCallsCostIsUnknown() {
    CallTotals totals =
        CallTotals.NONE
            .plus(new TokenUsage(10, 2), null, "local")
            .plus(new TokenUsage(10, 2), new BigDecimal("0.001"), "local");

    assertThat(totals.costUsd()).isNull();
    assertThat(totals.usage()).isEqualTo(new TokenUsage(20, 4));
  }
}
