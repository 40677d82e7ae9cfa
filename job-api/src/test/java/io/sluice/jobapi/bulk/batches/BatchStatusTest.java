package io.sluice.jobapi.bulk.batches;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The batch state machine, every pair of statuses. */
class BatchStatusTest {
  private static final Set<String> ALLOWED =
      Set.of(
          "validating>failed",
          "validating>in_progress",
          "validating>cancelling",
          "in_progress>finalizing",
          "in_progress>cancelling",
          "in_progress>expired",
          "finalizing>completed",
          "finalizing>expired",
          "finalizing>cancelled",
          "cancelling>finalizing",
          "cancelling>cancelled");

  @Test
  void shouldAllowExactlyTheTransitionsOfTheTable() {
    for (BatchStatus from : BatchStatus.values()) {
      for (BatchStatus to : BatchStatus.values()) {
        assertThat(from.canMoveTo(to))
            .as("%s -> %s", from.wireName(), to.wireName())
            .isEqualTo(ALLOWED.contains(from.wireName() + ">" + to.wireName()));
      }
    }
  }

  @Test
  void shouldEndOnlyInFailedCompletedExpiredOrCancelled() {
    EnumSet<BatchStatus> terminal = EnumSet.noneOf(BatchStatus.class);
    for (BatchStatus status : BatchStatus.values()) {
      if (status.isTerminal()) {
        terminal.add(status);
      }
    }
    assertThat(terminal)
        .containsExactlyInAnyOrder(
            BatchStatus.FAILED, BatchStatus.COMPLETED, BatchStatus.EXPIRED, BatchStatus.CANCELLED);
  }

  @Test
  void shouldReadEveryWireNameBack() {
    for (BatchStatus status : BatchStatus.values()) {
      assertThat(BatchStatus.fromWireName(status.wireName())).isEqualTo(status);
    }
  }
}
