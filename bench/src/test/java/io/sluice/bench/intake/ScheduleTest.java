package io.sluice.bench.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ScheduleTest {
  private static final long START = 1_000_000_000L;

  @Test
  void spacesRequestsEvenlyFromTheStartAtTheRate() {
    Schedule schedule = new Schedule(START, 250, Duration.ofSeconds(30));

    assertThat(schedule.count()).isEqualTo(7_500);
    assertThat(schedule.intendedNanos(0)).isEqualTo(START);
    assertThat(schedule.intendedNanos(1)).isEqualTo(START + 4_000_000);
    assertThat(schedule.intendedNanos(7_499)).isEqualTo(START + 29_996_000_000L);
    assertThat(schedule.endNanos()).isEqualTo(START + 30_000_000_000L);
  }

  @Test
  void roundsIntendedTimesOfRatesThatDoNotDivideASecond() {
    Schedule schedule = new Schedule(START, 3, Duration.ofSeconds(1));

    assertThat(schedule.count()).isEqualTo(3);
    assertThat(schedule.intendedNanos(1)).isEqualTo(START + 333_333_333);
    assertThat(schedule.intendedNanos(2)).isEqualTo(START + 666_666_667);
  }

  @Test
  void countsEveryRequestWhoseIntendedTimeFallsBeforeTheEnd() {
    assertThat(new Schedule(START, 1.5, Duration.ofSeconds(1)).count()).isEqualTo(2);
  }

  @Test
  void hasNothingDueBeforeItsStart() {
    Schedule schedule = new Schedule(START, 1000, Duration.ofSeconds(1));

    assertThat(schedule.dueAt(START - 1)).isZero();
    assertThat(schedule.dueAt(START)).isEqualTo(1);
  }

  @Test
  void hasEachRequestDueExactlyFromItsIntendedTime() {
    Schedule schedule = new Schedule(START, 3, Duration.ofSeconds(10));

    assertThat(schedule.dueAt(schedule.intendedNanos(2) - 1)).isEqualTo(2);
    assertThat(schedule.dueAt(schedule.intendedNanos(2))).isEqualTo(3);
  }

  @Test
  void neverHasMoreDueThanItHolds() {
    Schedule schedule = new Schedule(START, 100, Duration.ofSeconds(1));

    assertThat(schedule.dueAt(START + 60_000_000_000L)).isEqualTo(100);
  }

  @Test
  void refusesANonPositiveRateOrDuration() {
    assertThatThrownBy(() -> new Schedule(START, 0, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Schedule(START, 10, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
