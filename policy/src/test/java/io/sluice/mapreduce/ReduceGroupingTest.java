package io.sluice.mapreduce;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.tokens.TokenEstimator;
import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class ReduceGroupingTest {
  private final ReduceGrouping grouping = new ReduceGrouping(100, 1);

  @Test
  void shouldGroupGreedilyInOrderWithOneSeparatorPerAnswer() {
    List<ReduceGroup> groups = grouping.group(0, List.of(40L, 40L, 40L, 19L, 98L, 5L));

    assertThat(groups)
        .containsExactly(
            new ReduceGroup(0, 0, 2, 82),
            new ReduceGroup(1, 2, 4, 61),
            new ReduceGroup(2, 4, 5, 99),
            new ReduceGroup(3, 5, 6, 6));
  }

  @Test
  void shouldPutEverythingInOneGroupWhenItFitsOneCall() {
    assertThat(grouping.group(0, List.of(10L, 20L, 30L)))
        .containsExactly(new ReduceGroup(0, 0, 3, 63));
  }

  @Test
  void shouldFailClearlyWhenOnePartialAnswerIsTooLargeForOneCall() {
    assertThatThrownBy(() -> grouping.group(2, List.of(10L, 100L)))
        .isInstanceOfSatisfying(
            ReduceFailure.class,
            e -> {
              assertThat(e.reason()).isEqualTo(ReduceFailure.Reason.PARTIAL_ANSWER_TOO_LARGE);
              assertThat(e.level()).isEqualTo(2);
            })
        .hasMessage(
            "partial answer 1 of level 2 has 100 tokens, more than one reduce call holds (99)");
  }

  @Test
  void shouldTakeItsBudgetFromTheReduceCallAndItsSeparatorFromTheEstimator() {
    CallBudget reduceCall = new CallBudget(10_000, 100, 1_000, 164);

    ReduceGrouping fromCall = ReduceGrouping.forCall(reduceCall, TokenEstimator.forModel("gpt-4o"));

    assertThat(fromCall.budgetTokens()).isEqualTo(8_736);
    assertThat(fromCall.separatorTokens()).isEqualTo(1);
  }

  @Test
  void shouldRefuseAReduceCallThatLeavesNoRoom() {
    CallBudget full = new CallBudget(1_000, 100, 900, 0);

    assertThatThrownBy(() -> ReduceGrouping.forCall(full, TokenEstimator.forModel("gpt-4o")))
        .isInstanceOfSatisfying(
            MapReduceRefusal.class, e -> assertThat(e.field()).isEqualTo("reduce.max_tokens"));
  }

  @Property(tries = 300)
  void shouldKeepEveryGroupWithinTheBudgetAndEveryAnswerInExactlyOneGroupInOrder(
      @ForAll @Size(min = 1, max = 60) List<@LongRange(min = 0, max = 98) Long> tokens,
      @ForAll @IntRange(min = 99, max = 400) int budget) {
    List<ReduceGroup> groups = new ReduceGrouping(budget, 1).group(0, tokens);

    int next = 0;
    for (int i = 0; i < groups.size(); i++) {
      ReduceGroup group = groups.get(i);
      assertThat(group.index()).isEqualTo(i);
      assertThat(group.from()).isEqualTo(next);
      long expected = tokens.subList(group.from(), group.to()).stream().mapToLong(t -> t + 1).sum();
      assertThat(group.tokens()).isEqualTo(expected).isLessThanOrEqualTo(budget);
      if (i + 1 < groups.size()) {
        assertThat(group.tokens() + tokens.get(group.to()) + 1)
            .as("greedy: the next answer did not fit")
            .isGreaterThan(budget);
      }
      next = group.to();
    }
    assertThat(next).isEqualTo(tokens.size());
  }
}
