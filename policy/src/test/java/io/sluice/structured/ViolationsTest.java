package io.sluice.structured;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ViolationsTest {
  @Test
  void shouldJoinAFewProblemsAsTheyAre() {
    assertThat(Violations.of(List.of("/a: required", "/b: integer expected")).summary())
        .isEqualTo("/a: required; /b: integer expected");
  }

  @Test
  void shouldListAtMostTenProblemsAndCountTheRest() {
    List<String> many = IntStream.range(0, 25).mapToObj(i -> "/p" + i + ": wrong").toList();

    String summary = Violations.of(many).summary();

    assertThat(summary).startsWith("/p0: wrong; /p1: wrong").contains("/p9: wrong");
    assertThat(summary).doesNotContain("/p10:").endsWith(" (and 15 more)");
  }

  @Test
  void shouldBoundEachProblemAndTheWholeSummary() {
    String huge = "/x: " + "y".repeat(5000);
    List<String> long10 = IntStream.range(0, 10).mapToObj(i -> huge).toList();

    String one = Violations.of(List.of(huge)).summary();
    String all = Violations.of(long10).summary();

    assertThat(one).hasSize(Violations.MAX_MESSAGE_CHARS).endsWith("…");
    assertThat(all.length()).isLessThanOrEqualTo(Violations.MAX_CHARS);
    assertThat(all).endsWith("more)");
  }

  @Test
  void shouldNotSplitASurrogatePairWhenCutting() {
    String emoji = "x".repeat(Violations.MAX_MESSAGE_CHARS - 3) + "😀😀😀";

    String cut = Violations.of(List.of(emoji)).summary();

    assertThat(cut).endsWith("…");
    assertThat(Character.isHighSurrogate(cut.charAt(cut.length() - 2))).isFalse();
  }
}
