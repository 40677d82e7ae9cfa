package io.sluice.bench.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class StepRecorderTest {
  private static final long MS = 1_000_000L;

  @Test
  void measuresTheCorrectedLatencyFromTheIntendedSendTime() {
    StepRecorder recorder = new StepRecorder();

    recorder.sent(0, 0);
    recorder.responded(202, 0, 0, 5 * MS);

    // HdrHistogram keeps 3 significant digits
    assertThat(recorder.corrected().p50Ms()).isCloseTo(5.0, within(0.01));
    assertThat(recorder.serviceTime().p50Ms()).isCloseTo(5.0, within(0.01));
  }

  @Test
  void chargesARequestSentLateWithItsWaitInTheCorrectedLatencyOnly() {
    StepRecorder recorder = new StepRecorder();

    // intended at 0, written at 200 ms (no connection free: the server stalled), answered 2 ms
    // later
    recorder.sent(0, 200 * MS);
    recorder.responded(202, 0, 200 * MS, 202 * MS);

    assertThat(recorder.corrected().maxMs()).isCloseTo(202.0, within(0.2));
    assertThat(recorder.serviceTime().maxMs()).isCloseTo(2.0, within(0.01));
    assertThat(recorder.sendLag().maxMs()).isCloseTo(200.0, within(0.2));
  }

  @Test
  void keepsACoordinatedStallVisibleInTheTailOfTheCorrectedLatencies() {
    StepRecorder recorder = new StepRecorder();
    // 1,000 requests at 1 ms intervals; the server stalls 100 ms from request 500: the 100
    // requests meant for that time all wait for it, while each is served in 1 ms once sent
    long stallEnd = 600 * MS;
    for (int i = 0; i < 1_000; i++) {
      long intended = i * MS;
      long sent = i >= 500 && i < 600 ? stallEnd : intended;
      recorder.sent(intended, sent);
      recorder.responded(202, intended, sent, sent + MS);
    }

    // the waits are 101 ms down to 2 ms: a tenth of the requests, so the tail from p90 on
    assertThat(recorder.serviceTime().p99Ms()).isCloseTo(1.0, within(0.01));
    assertThat(recorder.serviceTime().maxMs()).isCloseTo(1.0, within(0.01));
    assertThat(recorder.corrected().p99Ms()).isCloseTo(91.0, within(0.1));
    assertThat(recorder.corrected().maxMs()).isCloseTo(101.0, within(0.1));
  }

  @Test
  void countsEveryOutcomeButTakesLatenciesOfAcceptedRequestsOnly() {
    StepRecorder recorder = new StepRecorder();

    recorder.responded(202, 0, 0, MS);
    recorder.responded(429, 0, 0, 300 * MS);
    recorder.responded(503, 0, 0, 300 * MS);
    recorder.responded(400, 0, 0, 300 * MS);
    recorder.failed(Outcome.TIMED_OUT);
    recorder.failed(Outcome.CONNECTION_LOST);
    recorder.failed(Outcome.NOT_SENT);

    assertThat(recorder.outcomes())
        .containsEntry(Outcome.ACCEPTED, 1L)
        .containsEntry(Outcome.RATE_LIMITED, 1L)
        .containsEntry(Outcome.SERVER_ERROR, 1L)
        .containsEntry(Outcome.OTHER_STATUS, 1L)
        .containsEntry(Outcome.TIMED_OUT, 1L)
        .containsEntry(Outcome.CONNECTION_LOST, 1L)
        .containsEntry(Outcome.NOT_SENT, 1L);
    assertThat(recorder.corrected().count()).isEqualTo(1);
    assertThat(recorder.corrected().maxMs()).isCloseTo(1.0, within(0.01));
  }

  @Test
  void keepsThePeakOfOpenConnections() {
    StepRecorder recorder = new StepRecorder();

    recorder.connections(12);
    recorder.connections(40);
    recorder.connections(8);

    assertThat(recorder.peakConnections()).isEqualTo(40);
  }
}
