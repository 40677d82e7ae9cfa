package io.sluice.bench.backlog;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BacklogShapeTest {

  @Test
  void shouldKeepPromptsAndMaxTokensWithinTheIssuesRanges() {
    BacklogShape shape = BacklogShape.realistic(0, 42);
    for (long i = 0; i < 5_000; i++) {
      TaskShape task = shape.task(i);
      assertThat(task.promptTokens()).isBetween(50L, 4_000L);
      assertThat(task.maxTokens()).isBetween(100, 1_000);
      assertThat(task.estimatedInputTokens()).isEqualTo(task.promptTokens());
    }
  }

  @Test
  void shouldGiveTheSameTasksForTheSameSeed() {
    assertThat(BacklogShape.realistic(0.2, 7).task(123))
        .isEqualTo(BacklogShape.realistic(0.2, 7).task(123));
  }

  @Test
  void shouldMissTheEstimateByAtMostTheGivenErrorBothWays() {
    BacklogShape shape = BacklogShape.realistic(0.2, 42);
    double low = 2;
    double high = 0;
    for (long i = 0; i < 5_000; i++) {
      double factor = shape.task(i).estimateFactor();
      low = Math.min(low, factor);
      high = Math.max(high, factor);
    }
    assertThat(low).isBetween(0.8, 0.82);
    assertThat(high).isBetween(1.18, 1.2);
  }
}
