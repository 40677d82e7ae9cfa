package io.sluice.schemas;

import static io.sluice.schemas.job.JobStatus.CANCELLED;
import static io.sluice.schemas.job.JobStatus.EXPIRED;
import static io.sluice.schemas.job.JobStatus.FAILED;
import static io.sluice.schemas.job.JobStatus.QUEUED;
import static io.sluice.schemas.job.JobStatus.RUNNING;
import static io.sluice.schemas.job.JobStatus.SUCCEEDED;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.schemas.job.JobStatus;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JobStatusTest {
  /** The whole table, written out once more: every pair not listed here must be refused. */
  private static final Map<JobStatus, Set<JobStatus>> EXPECTED =
      Map.of(
          QUEUED, Set.of(RUNNING, SUCCEEDED, FAILED, CANCELLED, EXPIRED),
          RUNNING, Set.of(SUCCEEDED, FAILED, CANCELLED, EXPIRED),
          SUCCEEDED, Set.of(),
          FAILED, Set.of(),
          CANCELLED, Set.of(),
          EXPIRED, Set.of());

  @Test
  void shouldAllowExactlyTheTransitionsOfTheTable() {
    for (JobStatus from : JobStatus.values()) {
      for (JobStatus to : JobStatus.values()) {
        assertThat(from.canMoveTo(to))
            .as("%s -> %s", from, to)
            .isEqualTo(EXPECTED.get(from).contains(to));
      }
    }
  }

  @Test
  void shouldTreatOnlyStatusesWithNoWayOutAsTerminal() {
    assertThat(EnumSet.allOf(JobStatus.class).stream().filter(JobStatus::isTerminal))
        .containsExactlyInAnyOrder(SUCCEEDED, FAILED, CANCELLED, EXPIRED);
  }

  @Test
  void shouldNeverAllowAStatusToMoveToItself() {
    for (JobStatus status : JobStatus.values()) {
      assertThat(status.canMoveTo(status)).as("%s", status).isFalse();
    }
  }

  @Test
  void shouldRoundTripWireNames() {
    for (JobStatus status : JobStatus.values()) {
      assertThat(JobStatus.fromWireName(status.wireName())).isEqualTo(status);
    }
    assertThat(RUNNING.wireName()).isEqualTo("running");
  }
}
