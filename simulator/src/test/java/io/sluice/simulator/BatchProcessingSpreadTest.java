package io.sluice.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Batches draw their processing times from the range, on a clock a test advances by hours. */
class BatchProcessingSpreadTest {
  private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
  private static final BatchSettings SETTINGS =
      BatchSettings.DEFAULT
          .withProcessingTime(Duration.ofHours(1), Duration.ofHours(6))
          .withLineSkew(3);

  @Test
  void shouldEndBatchesAtDifferentDrawnTimesThatRepeatWithTheSameSeed() {
    List<Duration> first = endTimes(SETTINGS);
    List<Duration> again = endTimes(SETTINGS);

    assertThat(first).hasSize(8).doesNotContainNull();
    assertThat(first)
        .allSatisfy(
            end ->
                assertThat(end)
                    .isBetween(Duration.ofHours(1), Duration.ofHours(6).plusMinutes(10)));
    assertThat(new HashSet<>(first)).hasSizeGreaterThanOrEqualTo(4);
    assertThat(again).isEqualTo(first);
    assertThat(endTimes(SETTINGS.withSeed(99))).isNotEqualTo(first);
  }

  @Test
  void shouldFinishMostLinesOfABatchEarlyAndTheRestInATail() {
    ManualClock clock = new ManualClock(T0);
    try (Simulator simulator = start(clock, SETTINGS.withProcessingTime(Duration.ofHours(4)))) {
      BatchWire wire = new BatchWire(simulator);
      String id = wire.createAnthropic("claude-haiku-4-5", 100).body();
      String batchId = RawHttp.json(id).path("id").asText();

      clock.advance(Duration.ofHours(2));
      JsonNode halfway = wire.anthropicStatus(batchId).path("request_counts");
      clock.advance(Duration.ofHours(1).plusMinutes(30));
      JsonNode nearEnd = wire.anthropicStatus(batchId).path("request_counts");

      assertThat(halfway.path("succeeded").asInt()).isEqualTo(87);
      assertThat(nearEnd.path("processing").asInt()).isEqualTo(1);
    }
  }

  /** Creates 8 batches at T0 and returns when each ended, advancing the clock 10 minutes a step. */
  private static List<Duration> endTimes(BatchSettings settings) {
    ManualClock clock = new ManualClock(T0);
    try (Simulator simulator = start(clock, settings)) {
      BatchWire wire = new BatchWire(simulator);
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        ids.add(
            RawHttp.json(wire.createAnthropic("claude-haiku-4-5", 3).body()).path("id").asText());
      }
      Map<String, Duration> ended = new LinkedHashMap<>();
      while (clock.instant().isBefore(T0.plus(Duration.ofHours(7)))) {
        clock.advance(Duration.ofMinutes(10));
        for (String id : ids) {
          if (!ended.containsKey(id)
              && wire.anthropicStatus(id).path("processing_status").asText().equals("ended")) {
            ended.put(id, Duration.between(T0, clock.instant()));
          }
        }
      }
      return ids.stream().map(ended::get).toList();
    }
  }

  private static Simulator start(ManualClock clock, BatchSettings settings) {
    return Simulator.start(
        SimulatorConfig.builder()
            .clock(clock)
            .latency(LatencySettings.NONE)
            .batches(settings)
            .build());
  }
}
