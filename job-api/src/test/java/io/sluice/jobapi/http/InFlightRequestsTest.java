package io.sluice.jobapi.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class InFlightRequestsTest {
  private final InFlightRequests inFlight = new InFlightRequests();

  @Test
  void shouldCountRequestsUntilTheyEnd() throws Exception {
    assertThat(inFlight.tryEnter()).isTrue();
    assertThat(inFlight.tryEnter()).isTrue();
    inFlight.exit();

    assertThat(inFlight.count()).isEqualTo(1);
    assertThat(inFlight.awaitNone(Duration.ofMillis(10))).isEqualTo(1);
    inFlight.exit();
    assertThat(inFlight.awaitNone(Duration.ofMillis(10))).isZero();
  }

  @Test
  void shouldRefuseNewRequestsOnceClosedAndStillWaitForThoseUnderWay() throws Exception {
    assertThat(inFlight.tryEnter()).isTrue();

    inFlight.close();

    assertThat(inFlight.tryEnter()).as("a request after the stop began").isFalse();
    assertThat(inFlight.count()).isEqualTo(1);
    Thread.ofVirtual().start(inFlight::exit);
    assertThat(inFlight.awaitNone(Duration.ofSeconds(5))).isZero();
  }
}
