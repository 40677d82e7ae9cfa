package io.sluice.bench.deferred;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.simulator.BatchQueueLimits;
import io.sluice.simulator.BatchQueueRow;
import io.sluice.simulator.MeterSnapshot;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BatchQueueFiguresTest {
  private final BatchQueueLimits limits =
      new BatchQueueLimits(Map.of("gpt-4o-mini", 2_000_000L), 90_000, 2_000, 100_000);
  private final MeterSnapshot meter =
      new MeterSnapshot(
          List.of(),
          List.of(
              new BatchQueueRow("openai", "*", 12, 7_100, 2, 1, 1_950_000, 3_000),
              new BatchQueueRow("openai", "gpt-4o-mini", 12, 7_100, 2, 0, 1_900_000, 3_000),
              new BatchQueueRow("anthropic", "*", 5, 3_000, 0, 0, 400_000, 2_500)));

  @Test
  void shouldTakeBatchesLinesAndRefusalsFromTheAccountAndTokensFromTheModel() {
    BatchQueueFigures openAi = BatchQueueFigures.of(meter, limits, "openai", "gpt-4o-mini");
    assertThat(openAi.batchesCreated()).isEqualTo(12);
    assertThat(openAi.linesCreated()).isEqualTo(7_100);
    assertThat(openAi.queueRefusals()).isEqualTo(2);
    assertThat(openAi.creationRefusals()).isEqualTo(1);
    assertThat(openAi.peakEnqueuedTokens()).isEqualTo(1_900_000);
    assertThat(openAi.enqueuedTokensLimit()).isEqualTo(2_000_000);
  }

  @Test
  void shouldReportAnthropicsQueuedRequestsAgainstItsLimit() {
    BatchQueueFigures anthropic =
        BatchQueueFigures.of(meter, limits, "anthropic", "claude-haiku-4-5");
    assertThat(anthropic.batchesCreated()).isEqualTo(5);
    assertThat(anthropic.peakQueuedRequests()).isEqualTo(2_500);
    assertThat(anthropic.queuedRequestsLimit()).isEqualTo(100_000);
  }

  @Test
  void shouldCountNothingForAnApiThatCreatedNoBatch() {
    BatchQueueFigures none =
        BatchQueueFigures.of(new MeterSnapshot(List.of()), limits, "openai", "gpt-4o-mini");
    assertThat(none.batchesCreated()).isZero();
    assertThat(none.linesCreated()).isZero();
  }
}
