package io.sluice.bench.deferred;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sluice.providers.pricing.ModelPrice;
import io.sluice.providers.pricing.PriceTable;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeferredFiguresTest {
  private static final Instant START = Instant.parse("2026-12-05T02:00:00Z");
  private static final PriceTable PRICES =
      PriceTable.of(
          Map.of(
              "m",
              new ModelPrice(
                  new BigDecimal("1"),
                  new BigDecimal("2"),
                  new BigDecimal("0.5"),
                  new BigDecimal("1"))));

  private static JobOutcome succeeded(String cost, String realtime, int finishedAfterSeconds) {
    return new JobOutcome(
        "succeeded",
        new BigDecimal(cost),
        realtime == null ? null : new BigDecimal(realtime),
        "m",
        1_000_000,
        0,
        "in_provider_batch",
        START.plusSeconds(finishedAfterSeconds),
        true,
        null);
  }

  private static BatchQueueFigures queue(String api, long batches, long lines) {
    return new BatchQueueFigures(api, batches, lines, 0, 0, 0, 0, 0, 0, "m");
  }

  @Test
  void shouldCompareTheBilledCostWithTheRealtimePriceJobApiReported() {
    DeferredFigures figures =
        DeferredFigures.of(
            List.of(succeeded("0.5", "1.0", 60), succeeded("0.25", "0.5", 90)),
            START,
            START.plusSeconds(10),
            List.of(),
            PRICES);
    assertThat(figures.costUsd()).isEqualByComparingTo("0.75");
    assertThat(figures.realtimeCostUsd()).isEqualByComparingTo("1.5");
    assertThat(figures.costRatio()).isCloseTo(0.5, within(1e-9));
    assertThat(figures.costGoalMet()).isTrue();
    assertThat(figures.realtimeCostsComputed()).isZero();
  }

  @Test
  void shouldPriceTheUsageAtTheRealtimePriceWhenJobApiDidNotReportIt() {
    DeferredFigures figures =
        DeferredFigures.of(
            List.of(succeeded("0.6", null, 60)), START, START.plusSeconds(10), List.of(), PRICES);
    assertThat(figures.realtimeCostUsd()).isEqualByComparingTo("1");
    assertThat(figures.realtimeCostsComputed()).isOne();
    assertThat(figures.costRatio()).isCloseTo(0.6, within(1e-9));
    assertThat(figures.costGoalMet()).isFalse();
  }

  @Test
  void shouldCountAFallenBackJobAtItsOwnRealtimeCost() {
    JobOutcome fallback =
        new JobOutcome(
            "succeeded",
            new BigDecimal("1"),
            null,
            "m",
            1_000_000,
            0,
            "realtime_fallback",
            START.plusSeconds(5),
            true,
            null);
    DeferredFigures figures =
        DeferredFigures.of(List.of(fallback), START, START, List.of(), PRICES);
    assertThat(figures.realtimeCostUsd()).isEqualByComparingTo("1");
    assertThat(figures.realtimeFallbacks()).isOne();
  }

  @Test
  void shouldCountEveryEndStateAndWrongAnswers() {
    JobOutcome wrong =
        new JobOutcome(
            "succeeded", BigDecimal.ZERO, BigDecimal.ZERO, "m", 0, 0, null, START, false, null);
    JobOutcome failed =
        new JobOutcome(
            "failed", null, null, null, 0, 0, null, START.plusSeconds(3), false, "server_error");
    JobOutcome expired =
        new JobOutcome(
            "expired",
            null,
            null,
            null,
            0,
            0,
            null,
            START.plusSeconds(4),
            false,
            "deadline_exceeded");
    JobOutcome queued =
        new JobOutcome("queued", null, null, null, 0, 0, "pending", null, false, null);
    DeferredFigures figures =
        DeferredFigures.of(
            List.of(succeeded("1", "2", 1), wrong, failed, expired, queued),
            START,
            START,
            List.of(),
            PRICES);
    assertThat(figures.jobs()).isEqualTo(5);
    assertThat(figures.succeeded()).isEqualTo(2);
    assertThat(figures.failed()).isOne();
    assertThat(figures.expired()).isOne();
    assertThat(figures.unfinished()).isOne();
    assertThat(figures.wrongAnswers()).isOne();
    assertThat(figures.errorsByCode())
        .containsExactlyInAnyOrderEntriesOf(
            java.util.Map.of("server_error", 1L, "deadline_exceeded", 1L));
  }

  @Test
  void shouldMeasureWallTimeFromTheFirstSubmissionToTheLastTerminalJob() {
    DeferredFigures figures =
        DeferredFigures.of(
            List.of(succeeded("1", "2", 600), succeeded("1", "2", 1_800)),
            START,
            START.plusSeconds(120),
            List.of(),
            PRICES);
    assertThat(figures.wallSeconds()).isEqualTo(1_800.0);
    assertThat(figures.submitSeconds()).isEqualTo(120.0);
  }

  @Test
  void shouldCountLinesBeyondOnePerJobAsResubmittedItems() {
    DeferredFigures figures =
        DeferredFigures.of(
            List.of(succeeded("1", "2", 1), succeeded("1", "2", 1), succeeded("1", "2", 1)),
            START,
            START,
            List.of(queue("openai", 3, 4), queue("anthropic", 1, 1)),
            PRICES);
    assertThat(figures.batchesCreated()).isEqualTo(4);
    assertThat(figures.linesCreated()).isEqualTo(5);
    assertThat(figures.itemsResubmitted()).isEqualTo(2);
  }
}
