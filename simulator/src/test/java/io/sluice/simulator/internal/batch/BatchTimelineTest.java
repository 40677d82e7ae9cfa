package io.sluice.simulator.internal.batch;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BatchTimelineTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  private static BatchTimeline timeline(Duration processing, Duration window, boolean invalid) {
    return new BatchTimeline(
        T0,
        Duration.ofSeconds(10),
        processing,
        Duration.ofSeconds(5),
        window,
        Duration.ofSeconds(3),
        100,
        invalid,
        null);
  }

  @Test
  void shouldGoFromValidatingThroughFinalizingToCompleted() {
    BatchTimeline t = timeline(Duration.ofSeconds(100), Duration.ofHours(24), false);

    assertThat(t.at(T0.plusSeconds(5)).phase()).isEqualTo(BatchPhase.VALIDATING);
    assertThat(t.at(T0.plusSeconds(60)))
        .isEqualTo(new BatchTimeline.State(BatchPhase.IN_PROGRESS, 50, T0.plusSeconds(10)));
    assertThat(t.at(T0.plusSeconds(112)).phase()).isEqualTo(BatchPhase.FINALIZING);
    assertThat(t.at(T0.plusSeconds(115)))
        .isEqualTo(new BatchTimeline.State(BatchPhase.COMPLETED, 100, T0.plusSeconds(115)));
  }

  @Test
  void shouldFailAnInvalidBatchAfterValidation() {
    BatchTimeline t = timeline(Duration.ofSeconds(100), Duration.ofHours(24), true);

    assertThat(t.at(T0.plusSeconds(9)).phase()).isEqualTo(BatchPhase.VALIDATING);
    assertThat(t.at(T0.plusSeconds(10)))
        .isEqualTo(new BatchTimeline.State(BatchPhase.FAILED, 0, T0.plusSeconds(10)));
  }

  @Test
  void shouldExpireWithTheLinesDoneByTheEndOfTheWindow() {
    BatchTimeline t = timeline(Duration.ofSeconds(200), Duration.ofSeconds(110), false);

    assertThat(t.at(T0.plusSeconds(109)).phase()).isEqualTo(BatchPhase.IN_PROGRESS);
    assertThat(t.at(T0.plusSeconds(500)))
        .isEqualTo(new BatchTimeline.State(BatchPhase.EXPIRED, 50, T0.plusSeconds(110)));
  }

  @Test
  void shouldStopWorkWhenCancelledAndEndAfterTheCancelTime() {
    BatchTimeline t =
        timeline(Duration.ofSeconds(100), Duration.ofHours(24), false)
            .cancelledAt(T0.plusSeconds(30));

    assertThat(t.at(T0.plusSeconds(31)))
        .isEqualTo(new BatchTimeline.State(BatchPhase.CANCELLING, 20, T0.plusSeconds(30)));
    assertThat(t.at(T0.plusSeconds(1000)))
        .isEqualTo(new BatchTimeline.State(BatchPhase.CANCELLED, 20, T0.plusSeconds(33)));
  }

  @Test
  void shouldIgnoreACancelThatCameAfterTheWorkWasDone() {
    BatchTimeline t =
        timeline(Duration.ofSeconds(100), Duration.ofHours(24), false)
            .cancelledAt(T0.plusSeconds(111));

    assertThat(t.at(T0.plusSeconds(200)).phase()).isEqualTo(BatchPhase.COMPLETED);
  }
}
