package io.sluice.dispatcher.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeadlineKeyTest {

  @Test
  void shouldSortItsBytesInDeadlineOrderThenByJob() {
    List<DeadlineKey> inOrder =
        List.of(
            DeadlineKey.of(Instant.parse("1969-12-31T23:59:59Z"), "z"),
            DeadlineKey.of(Instant.parse("2025-06-01T12:00:00Z"), "b"),
            DeadlineKey.of(Instant.parse("2025-06-01T12:00:00Z"), "c"),
            DeadlineKey.of(Instant.parse("2025-06-01T12:00:00.001Z"), "a"),
            DeadlineKey.of(Instant.parse("2100-01-01T00:00:00Z"), "a"));

    List<DeadlineKey> byBytes =
        inOrder.reversed().stream()
            .sorted(Comparator.comparing(DeadlineKey::toBytes, Arrays::compareUnsigned))
            .toList();

    assertThat(byBytes).containsExactlyElementsOf(inOrder);
  }

  @Test
  void shouldReadBackWhatItWrote() {
    DeadlineKey key = DeadlineKey.of(Instant.parse("2025-06-01T12:00:00Z"), "job-é-1");

    assertThat(DeadlineKey.fromBytes(key.toBytes())).isEqualTo(key);
    assertThat(key.deadline()).isEqualTo(Instant.parse("2025-06-01T12:00:00Z"));
  }

  @Test
  void shouldNeverMakeAJobDueBeforeItsDeadline() {
    Instant deadline = Instant.parse("2025-06-01T12:00:00.000000500Z");

    assertThat(DeadlineKey.of(deadline, "j").deadline()).isAfterOrEqualTo(deadline);
  }
}
