package io.sluice.bench.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LatenciesTest {
  private static final Instant FINISHED = Instant.parse("2026-12-06T00:00:00Z");

  private static Receipt after(long millis) {
    return new Receipt("msg_" + millis, "job_" + millis, FINISHED, FINISHED.plusMillis(millis));
  }

  @Test
  void takesTheNearestRankOfOneHundredLatencies() {
    List<Receipt> receipts = new ArrayList<>();
    for (int millis = 100; millis >= 1; millis--) {
      receipts.add(after(millis));
    }

    Latencies latencies = Latencies.of(receipts);

    assertThat(latencies).isEqualTo(new Latencies(100, 50, 99, 100));
  }

  @Test
  void leavesOutReceiptsWithoutAFinishTime() {
    Receipt unknown = new Receipt("msg_x", "job_x", null, FINISHED);

    Latencies latencies = Latencies.of(List.of(unknown, after(40), after(20)));

    assertThat(latencies).isEqualTo(new Latencies(2, 20, 40, 40));
  }

  @Test
  void isNoneWithoutReceipts() {
    assertThat(Latencies.of(List.of())).isEqualTo(Latencies.NONE);
  }

  private static Receipt finished(long finishMillis, long latencyMillis) {
    Instant finish = FINISHED.plusMillis(finishMillis);
    return new Receipt(
        "msg_" + finishMillis, "job_" + finishMillis, finish, finish.plusMillis(latencyMillis));
  }

  @Test
  void splitsLatenciesByWhenTheJobFinishedWithEmptyPeriodsAsNone() {
    List<Receipt> receipts =
        List.of(finished(1_000, 30), finished(9_999, 50), finished(25_000, 700));

    List<Latencies> periods = Latencies.byFinish(receipts, FINISHED, Duration.ofSeconds(10));

    assertThat(periods)
        .containsExactly(
            new Latencies(2, 30, 50, 50), Latencies.NONE, new Latencies(1, 700, 700, 700));
  }

  @Test
  void keepsOnlyTheJobsFinishedFromAMoment() {
    List<Receipt> receipts =
        List.of(finished(1_000, 9_000), finished(5_000, 20), finished(6_000, 40));

    Latencies after = Latencies.finishedFrom(receipts, FINISHED.plusMillis(5_000));

    assertThat(after).isEqualTo(new Latencies(2, 20, 40, 40));
  }
}
