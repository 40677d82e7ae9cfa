package io.sluice.mapreduce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Collections;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class ReduceTreeTest {
  private static List<Long> times(int n, long tokens) {
    return Collections.nCopies(n, tokens);
  }

  @Test
  void shouldPlanOneReduceCallWhenEveryMapOutputFitsOneCall() {
    ReduceTree tree = new ReduceTree(new ReduceGrouping(1_000, 1), 8);

    ReducePlan plan = tree.plan(times(9, 99), 200);

    assertThat(plan.depth()).isEqualTo(1);
    assertThat(plan.calls()).isEqualTo(1);
    assertThat(plan.rounds())
        .containsExactly(new ReduceRound(1, 9, List.of(new ReduceGroup(0, 0, 9, 900))));
  }

  @Test
  void shouldReduceASingleMapOutputOnceSoTheFinalAnswerComesFromTheReduce() {
    ReducePlan plan = new ReduceTree(new ReduceGrouping(1_000, 1), 8).plan(times(1, 50), 50);

    assertThat(plan.depth()).isEqualTo(1);
    assertThat(plan.calls()).isEqualTo(1);
  }

  @Test
  void shouldBuildLevelsUntilOneCallHoldsEverything() {
    // 100 outputs of 99 (+1) tokens, 10 per call; reduce outputs of 199 (+1), 5 per call.
    ReduceTree tree = new ReduceTree(new ReduceGrouping(1_000, 1), 8);

    ReducePlan plan = tree.plan(times(100, 99), 199);

    assertThat(plan.rounds())
        .extracting(ReduceRound::level, ReduceRound::inputs, ReduceRound::calls)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(1, 100, 10),
            org.assertj.core.groups.Tuple.tuple(2, 10, 2),
            org.assertj.core.groups.Tuple.tuple(3, 2, 1));
    assertThat(plan.depth()).isEqualTo(3);
    assertThat(plan.calls()).isEqualTo(13);
  }

  @Test
  void shouldFailClearlyInsteadOfGoingDeeperThanTheBound() {
    ReduceTree tree = new ReduceTree(new ReduceGrouping(1_000, 1), 2);

    assertThatThrownBy(() -> tree.plan(times(100, 99), 199))
        .isInstanceOfSatisfying(
            ReduceFailure.class,
            e -> assertThat(e.reason()).isEqualTo(ReduceFailure.Reason.DOES_NOT_CONVERGE))
        .hasMessage(
            "the reduce does not converge within 2 levels: level 2 still holds 2 partial answers");
  }

  @Test
  void shouldDetectAPlanWhoseLevelsDoNotLoseAnswers() {
    // Reduce outputs of 600 tokens: two never fit one call of 1000, so level 2 would hold as many.
    ReduceTree tree = new ReduceTree(new ReduceGrouping(1_000, 1), 8);

    assertThatThrownBy(() -> tree.plan(times(20, 99), 600))
        .isInstanceOfSatisfying(
            ReduceFailure.class,
            e -> {
              assertThat(e.reason()).isEqualTo(ReduceFailure.Reason.DOES_NOT_SHRINK);
              assertThat(e.level()).isEqualTo(2);
            })
        .hasMessageContaining("do not shrink");
  }

  @Test
  void shouldGroupTheNextRoundFromRealOutputs() {
    ReduceTree tree = new ReduceTree(new ReduceGrouping(100, 0), 8);
    ReduceLevel mapOutputs = new ReduceLevel(0, times(6, 40));
    ReduceLevel level1 =
        ReduceLevel.ofAnswers(
            1,
            List.of(
                new PartialAnswer("7", 30),
                new PartialAnswer("9", 30),
                new PartialAnswer("1", 30)));

    ReduceRound first = tree.nextRound(mapOutputs, null);
    ReduceRound second = tree.nextRound(level1, mapOutputs);

    assertThat(first.groups()).hasSize(3);
    assertThat(second).isEqualTo(new ReduceRound(2, 3, List.of(new ReduceGroup(0, 0, 3, 90))));
    assertThat(new ReduceLevel(2, List.of(12L)).isFinal()).isTrue();
    assertThat(new ReduceLevel(0, List.of(12L)).isFinal()).isFalse();
  }

  @Test
  void shouldFailWhenRealReduceOutputsAreNoSmallerThanTheirInputs() {
    ReduceTree tree = new ReduceTree(new ReduceGrouping(100, 0), 8);
    ReduceLevel mapOutputs = new ReduceLevel(0, times(4, 40));
    ReduceLevel level1 = new ReduceLevel(1, List.of(80L, 80L));

    assertThatThrownBy(() -> tree.nextRound(level1, mapOutputs))
        .isInstanceOfSatisfying(
            ReduceFailure.class,
            e -> assertThat(e.reason()).isEqualTo(ReduceFailure.Reason.DOES_NOT_SHRINK))
        .hasMessage(
            "the reduce outputs do not shrink: level 1 holds 2 partial answers of 160 tokens,"
                + " level 0 held 4 of 160");
  }

  @Test
  void shouldRefuseToGroupTheFinalAnswer() {
    ReduceTree tree = new ReduceTree(new ReduceGrouping(100, 0), 8);

    assertThatThrownBy(() -> tree.nextRound(new ReduceLevel(3, List.of(5L)), null))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Property(tries = 300)
  void shouldEndInOneCallWithinTheBoundOrFailClearly(
      @ForAll @IntRange(min = 1, max = 3_000) int mapOutputs,
      @ForAll @IntRange(min = 1, max = 499) int mapOutputTokens,
      @ForAll @IntRange(min = 1, max = 499) int reduceOutputTokens,
      @ForAll @IntRange(min = 500, max = 5_000) int budget,
      @ForAll @IntRange(min = 1, max = 6) int maxDepth) {
    ReduceTree tree = new ReduceTree(new ReduceGrouping(budget, 1), maxDepth);
    try {
      ReducePlan plan = tree.plan(times(mapOutputs, mapOutputTokens), reduceOutputTokens);
      assertThat(plan.depth()).isBetween(1, maxDepth);
      assertThat(plan.rounds().get(plan.depth() - 1).calls()).isEqualTo(1);
      assertThat(plan.rounds().get(0).inputs()).isEqualTo(mapOutputs);
      for (int i = 1; i < plan.depth(); i++) {
        assertThat(plan.rounds().get(i).inputs()).isEqualTo(plan.rounds().get(i - 1).calls());
        assertThat(plan.rounds().get(i).calls()).isLessThan(plan.rounds().get(i - 1).calls());
      }
    } catch (ReduceFailure e) {
      assertThat(e.reason())
          .isIn(ReduceFailure.Reason.DOES_NOT_CONVERGE, ReduceFailure.Reason.DOES_NOT_SHRINK);
    }
  }
}
