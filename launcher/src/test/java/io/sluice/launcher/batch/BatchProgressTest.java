package io.sluice.launcher.batch;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testing.ManualClock;
import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BatchProgressTest {
  private final ManualClock clock = new ManualClock();
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private final PrintWriter out =
      new PrintWriter(new java.io.OutputStreamWriter(bytes, StandardCharsets.UTF_8), true);

  @Test
  void shouldShowTheBarCountsRateCostAndTimeLeft() {
    String line =
        BatchProgress.line(
            batch("in_progress", 100_000, 52_000, 310, new BigDecimal("1.23456")), 1_234.4);

    assertThat(line)
        .startsWith("in_progress [############            ] 52,310/100,000  52%")
        .contains("ok 52,000  failed 310")
        .contains("1,234/s")
        .contains("$1.2346")
        .endsWith("ETA 0m38s");
  }

  @Test
  void shouldShowNoTimeLeftBeforeARateIsKnownNorOnceTheBatchHasEnded() {
    assertThat(BatchProgress.line(batch("in_progress", 10, 0, 0, null), 0)).endsWith("ETA --");
    assertThat(BatchProgress.line(batch("cancelled", 10, 4, 6, null), 0)).doesNotContain("ETA");
  }

  @Test
  void shouldMeasureTheRateOverTheRecentWindowSoAStallShows() {
    BatchProgress progress = new BatchProgress(out, true, clock);
    progress.show(batch("in_progress", 10_000, 0, 0, null));
    clock.advance(Duration.ofSeconds(10));
    progress.show(batch("in_progress", 10_000, 5_000, 0, null));

    assertThat(progress.ratePerSecond()).isEqualTo(500.0);

    for (int i = 0; i < 30; i++) {
      clock.advance(Duration.ofSeconds(1));
      progress.show(batch("in_progress", 10_000, 5_000, 0, null));
    }

    assertThat(progress.ratePerSecond()).isZero();
  }

  @Test
  void shouldRedrawOneLineOnATerminal() {
    BatchProgress progress = new BatchProgress(out, true, clock);
    progress.show(batch("in_progress", 100, 10, 0, null));
    clock.advance(Duration.ofSeconds(1));
    progress.show(batch("in_progress", 100, 20, 0, null));
    progress.finish();
    out.flush();

    String shown = bytes.toString(StandardCharsets.UTF_8);
    assertThat(shown).startsWith("\r").contains("\rin_progress").endsWith(System.lineSeparator());
    assertThat(shown.chars().filter(c -> c == '\n')).as("line breaks").hasSize(1);
  }

  @Test
  void shouldPrintAPlainLineEveryFewSecondsAndAtEachStatusChangeElsewhere() {
    BatchProgress progress = new BatchProgress(out, false, clock);
    progress.show(batch("validating", 100, 0, 0, null));
    progress.show(batch("in_progress", 100, 0, 0, null));
    for (int i = 1; i <= 9; i++) {
      clock.advance(Duration.ofSeconds(1));
      progress.show(batch("in_progress", 100, i, 0, null));
    }
    progress.show(batch("completed", 100, 100, 0, null));
    progress.finish();

    assertThat(bytes.toString(StandardCharsets.UTF_8).lines())
        .extracting(line -> line.substring(0, line.indexOf(' ')))
        .containsExactly("validating", "in_progress", "in_progress", "completed");
    assertThat(bytes.toString(StandardCharsets.UTF_8)).doesNotContain("\r");
  }

  @Test
  void shouldShowCostsUnderACentWithSixDecimals() {
    assertThat(BatchProgress.dollars(new BigDecimal("0.0000021"))).isEqualTo("$0.000002");
    assertThat(BatchProgress.dollars(new BigDecimal("12.34567"))).isEqualTo("$12.3457");
  }

  @Test
  void shouldWriteDurationsInHoursAndMinutesOrMinutesAndSeconds() {
    assertThat(BatchProgress.duration(38)).isEqualTo("0m38s");
    assertThat(BatchProgress.duration(3_725)).isEqualTo("1h02m");
  }

  private static BatchSnapshot batch(
      String status, long total, long completed, long failed, BigDecimal cost) {
    return new BatchSnapshot(
        "batch_1",
        status,
        total,
        completed,
        failed,
        Optional.ofNullable(cost),
        Optional.empty(),
        Optional.empty(),
        List.of());
  }
}
