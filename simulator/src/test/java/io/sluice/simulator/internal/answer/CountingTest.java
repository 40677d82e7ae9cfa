package io.sluice.simulator.internal.answer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CountingTest {
  private static String answer(String lastUserText) {
    return Answerer.answer(lastUserText, lastUserText, null, false);
  }

  @Test
  void shouldCountNonOverlappingCaseSensitiveOccurrencesInTheTextAfterTheDirective() {
    assertThat(answer("count occurrences of \"ab\"\nab abab aB xab")).isEqualTo("4");
    assertThat(answer("count occurrences of \"aa\": aaaa aaa")).isEqualTo("3");
    assertThat(answer("Count Occurrences Of \"x\"\nno match here")).isEqualTo("0");
  }

  @Test
  void shouldNotCountTheNeedleInsideTheDirectiveItself() {
    assertThat(answer("count occurrences of \"count\"\nnothing")).isEqualTo("0");
  }

  @Test
  void shouldCountOccurrencesOfNonAsciiText() {
    assertThat(answer("count occurrences of \"日本\"\n日本語 と 日本")).isEqualTo("2");
  }

  @Test
  void shouldSayWhatIsWrongWithAnEmptyNeedle() {
    assertThat(answer("count occurrences of \"\"\ntext")).startsWith("cannot count");
  }

  @Test
  void shouldSumEveryIntegerInTheText() {
    assertThat(answer("sum the numbers\n17\n\n23\n\n-5")).isEqualTo("35");
    assertThat(answer("sum the numbers: chunk 1 says 12, chunk 2 says 30")).isEqualTo("45");
    assertThat(answer("sum the numbers\nitem-5 and x12 and 3-4")).isEqualTo("24");
    assertThat(answer("sum the numbers\nno numbers")).isEqualTo("0");
  }

  @Test
  void shouldSumIntegersBeyondALong() {
    assertThat(answer("sum the numbers\n9223372036854775807 9223372036854775807"))
        .isEqualTo("18446744073709551614");
  }

  @Test
  void shouldTakeTheDirectiveFromASystemMessageAndCountTheWholeUserMessage() {
    List<PromptMessage> messages =
        List.of(
            new PromptMessage("system", "count occurrences of \"X\""),
            new PromptMessage("user", "X marks X"));

    String prompt = Answerer.instructed(messages, "X marks X");

    assertThat(answer(prompt)).isEqualTo("2");
  }

  @Test
  void shouldPreferTheUserMessagesOwnDirective() {
    List<PromptMessage> messages =
        List.of(
            new PromptMessage("system", "sum the numbers"),
            new PromptMessage("user", "count occurrences of \"1\"\n1 11"));

    assertThat(answer(Answerer.instructed(messages, "count occurrences of \"1\"\n1 11")))
        .isEqualTo("3");
  }

  @Test
  void shouldLeaveOtherPromptsToTheirUsualAnswers() {
    List<PromptMessage> messages =
        List.of(new PromptMessage("system", "You are terse."), new PromptMessage("user", "hi"));

    assertThat(Answerer.instructed(messages, "hi")).isEqualTo("hi");
    assertThat(Answerer.isFreeText("hi", null, false)).isTrue();
    assertThat(Answerer.isFreeText("sum the numbers 1 2", null, false)).isFalse();
  }
}
