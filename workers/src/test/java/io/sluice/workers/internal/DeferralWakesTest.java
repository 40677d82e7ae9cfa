package io.sluice.workers.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class DeferralWakesTest {
  private final ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);
  private final Clock clock = Clock.systemUTC();
  private final List<Instant> woken = new CopyOnWriteArrayList<>();
  private final DeferralWakes wakes =
      new DeferralWakes(timer, clock, () -> woken.add(clock.instant()));

  DeferralWakesTest() {
    timer.setRemoveOnCancelPolicy(true);
  }

  @AfterEach
  void stop() {
    timer.shutdownNow();
  }

  @Test
  void shouldWakeOnceForManyTasksGivenTheSameInstant() {
    Instant at = clock.instant().plusMillis(200);

    for (int i = 0; i < 50; i++) {
      wakes.wakeAt(at);
    }

    assertThat(timer.getQueue()).as("one timer").hasSize(1);
    await().atMost(Duration.ofSeconds(5)).until(() -> woken.size() == 1);
    assertThat(woken.getFirst()).isAfterOrEqualTo(at);
    assertThat(timer.getQueue()).as("nothing left to wake").isEmpty();
  }

  @Test
  void shouldWakeAtEachInstantInTurnWithOneTimerAtATime() {
    Instant now = clock.instant();
    Instant later = now.plusMillis(400);
    Instant earlier = now.plusMillis(150);

    wakes.wakeAt(later);
    wakes.wakeAt(earlier);

    assertThat(timer.getQueue()).as("the later timer gave way to the earlier").hasSize(1);
    await().atMost(Duration.ofSeconds(5)).until(() -> woken.size() == 1);
    assertThat(woken.get(0)).isAfterOrEqualTo(earlier).isBefore(later);
    assertThat(timer.getQueue()).as("the later instant's timer, set as the first fired").hasSize(1);
    await().atMost(Duration.ofSeconds(5)).until(() -> woken.size() == 2);
    assertThat(woken.get(1)).isAfterOrEqualTo(later);
    assertThat(timer.getQueue()).isEmpty();
  }

  @Test
  void shouldWakeAtOnceForAnInstantThatHasPassed() {
    wakes.wakeAt(clock.instant().minusSeconds(1));

    await().atMost(Duration.ofSeconds(5)).until(() -> woken.size() == 1);
    assertThat(timer.getQueue()).isEmpty();
  }

  @Test
  void shouldWakeNothingOnceTheTimerIsShutDown() {
    timer.shutdownNow();

    wakes.wakeAt(clock.instant());

    assertThat(woken).isEmpty();
  }
}
