package io.sluice.workers.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.ratelimit.Admission;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AskOrderTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final String LARGE = "task-large";
  private static final String SMALL = "task-small";

  @Test
  void shouldLetEveryTaskAskWhenNothingIsKnown() {
    assertThat(AskOrder.NONE.waitFor(SMALL, T0)).isEmpty();
  }

  @Test
  void shouldKeepEveryTaskBackUntilTheLastHintWhenNoTaskHoldsThePlace() {
    AskOrder order = AskOrder.NONE.deferred(SMALL, deferred(10_000, false));

    assertThat(order.waitFor(LARGE, at(5_000))).contains(at(10_000));
    assertThat(order.waitFor(SMALL, at(9_999))).contains(at(10_000));
    assertThat(order.waitFor(LARGE, at(10_000))).isEmpty();
  }

  @Test
  void shouldLetTheHolderAskFirstAtItsHintAndKeepTheOthersBackUntilItHas() {
    AskOrder order = AskOrder.NONE.deferred(LARGE, deferred(10_000, true));

    assertThat(order.waitFor(LARGE, at(9_000))).contains(at(10_000));
    assertThat(order.waitFor(LARGE, at(10_000))).isEmpty();
    assertThat(order.waitFor(SMALL, at(4_000))).contains(at(10_000).plus(AskOrder.HOLDER_GRACE));
    assertThat(order.waitFor(SMALL, at(10_000))).contains(at(10_000).plus(AskOrder.HOLDER_GRACE));
  }

  @Test
  void shouldKeepASmallerTaskBackEvenWhenItsOwnHintIsEarlier() {
    AskOrder order =
        AskOrder.NONE
            .deferred(LARGE, deferred(10_000, true))
            .deferred(SMALL, deferred(4_000, false));

    assertThat(order.waitFor(SMALL, at(4_000))).contains(at(10_000).plus(AskOrder.HOLDER_GRACE));
    assertThat(order.waitFor(LARGE, at(10_000))).isEmpty();
  }

  @Test
  void shouldLetTheHolderAskAtItsHintWhenAnotherTaskWasToldALaterOne() {
    AskOrder order =
        AskOrder.NONE
            .deferred(LARGE, deferred(10_000, true))
            .deferred(SMALL, deferred(12_000, false));

    assertThat(order.waitFor(LARGE, at(10_000))).isEmpty();
  }

  @Test
  void shouldLetEveryTaskAskOnceATaskWasAdmitted() {
    AskOrder order = AskOrder.NONE.deferred(LARGE, deferred(10_000, true)).granted();

    assertThat(order.waitFor(SMALL, at(10_000))).isEmpty();
  }

  @Test
  void shouldLetTheOthersAskWhenTheHolderMissesItsTurn() {
    AskOrder order = AskOrder.NONE.deferred(LARGE, deferred(10_000, true));

    assertThat(order.waitFor(SMALL, at(10_000).plus(AskOrder.HOLDER_GRACE))).isEmpty();
  }

  @Test
  void shouldForgetTheHolderWhenItNoLongerHoldsThePlace() {
    AskOrder order =
        AskOrder.NONE
            .deferred(LARGE, deferred(10_000, true))
            .deferred(LARGE, deferred(11_000, false));

    assertThat(order.holder()).isNull();
    assertThat(order.waitFor(SMALL, at(11_000))).isEmpty();
  }

  @Test
  void shouldHandThePlaceToALargerTaskThatTakesItOver() {
    AskOrder order =
        AskOrder.NONE.deferred(SMALL, deferred(5_000, true)).deferred(LARGE, deferred(8_000, true));

    assertThat(order.waitFor(SMALL, at(5_000))).contains(at(8_000).plus(AskOrder.HOLDER_GRACE));
    assertThat(order.waitFor(LARGE, at(8_000))).isEmpty();
  }

  private static Admission.Deferred deferred(long atMillis, boolean holdsPlace) {
    return new Admission.Deferred(at(atMillis), "TOKENS/60s", holdsPlace);
  }

  private static Instant at(long millis) {
    return T0.plusMillis(millis);
  }
}
