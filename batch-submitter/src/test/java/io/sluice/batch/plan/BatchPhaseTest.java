package io.sluice.batch.plan;

import static io.sluice.batch.plan.BatchPhase.COLLECTED;
import static io.sluice.batch.plan.BatchPhase.ENDED;
import static io.sluice.batch.plan.BatchPhase.FAILED;
import static io.sluice.batch.plan.BatchPhase.PLANNED;
import static io.sluice.batch.plan.BatchPhase.PUBLISHED;
import static io.sluice.batch.plan.BatchPhase.SUBMITTED;
import static io.sluice.batch.plan.BatchPhase.SUBMITTING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BatchPhaseTest {
  private static final Map<BatchPhase, Set<BatchPhase>> ALLOWED =
      Map.of(
          PLANNED, EnumSet.of(SUBMITTING),
          SUBMITTING, EnumSet.of(SUBMITTED, PLANNED, FAILED),
          SUBMITTED, EnumSet.of(ENDED, FAILED),
          ENDED, EnumSet.of(COLLECTED),
          COLLECTED, EnumSet.of(PUBLISHED),
          PUBLISHED, EnumSet.noneOf(BatchPhase.class),
          FAILED, EnumSet.noneOf(BatchPhase.class));

  @Test
  void shouldAllowExactlyTheTransitionsOfTheTableForEveryPair() {
    for (BatchPhase from : BatchPhase.values()) {
      for (BatchPhase to : BatchPhase.values()) {
        assertThat(from.canMoveTo(to))
            .as("%s -> %s", from, to)
            .isEqualTo(ALLOWED.get(from).contains(to));
      }
    }
  }

  @Test
  void shouldNameTheBatchWhenATransitionIsIllegal() {
    assertThatThrownBy(() -> PLANNED.moveTo(SUBMITTED, "sb-x"))
        .isInstanceOf(IllegalBatchTransitionException.class)
        .hasMessageContaining("sb-x")
        .hasMessageContaining("PLANNED")
        .hasMessageContaining("SUBMITTED");
  }

  @Test
  void shouldReturnTheNextPhaseWhenATransitionIsLegal() {
    assertThat(SUBMITTING.moveTo(PLANNED, "sb-x")).isEqualTo(PLANNED);
  }

  @Test
  void shouldTreatOnlyPublishedAndFailedAsFinal() {
    for (BatchPhase phase : BatchPhase.values()) {
      assertThat(phase.isFinal()).as("%s", phase).isEqualTo(phase == PUBLISHED || phase == FAILED);
    }
  }

  @Test
  void shouldNeverGoBackToSubmittingOnceTheProviderIdIsKnown() {
    for (BatchPhase phase : EnumSet.of(SUBMITTED, ENDED, COLLECTED, PUBLISHED, FAILED)) {
      assertThat(phase.canMoveTo(SUBMITTING)).as("%s", phase).isFalse();
      assertThat(phase.canMoveTo(PLANNED)).as("%s", phase).isFalse();
    }
  }
}
