package io.sluice.structured;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonTextTest {
  @Test
  void shouldReadAWholeAnswerAsJson() {
    assertThat(JsonText.read("  {\"a\": 1.10}\n"))
        .isInstanceOfSatisfying(
            JsonText.Value.class,
            v -> assertThat(v.json().get("a").decimalValue()).isEqualByComparingTo("1.10"));
    assertThat(JsonText.read("[1,2]")).isInstanceOf(JsonText.Value.class);
    assertThat(JsonText.read("42")).isInstanceOf(JsonText.Value.class);
  }

  @Test
  void shouldReadTheFirstCodeFenceWhenTheWholeAnswerIsNotJson() {
    assertThat(JsonText.read("```json\n{\"a\":1}\n```"))
        .isInstanceOfSatisfying(
            JsonText.Value.class, v -> assertThat(v.json().get("a").asInt()).isEqualTo(1));
    assertThat(JsonText.read("```\n[true]\n```")).isInstanceOf(JsonText.Value.class);
    assertThat(JsonText.read("Here it is:\n```json\n{\"a\":2}\n```\nAnything else?"))
        .isInstanceOfSatisfying(
            JsonText.Value.class, v -> assertThat(v.json().get("a").asInt()).isEqualTo(2));
  }

  @Test
  void shouldSayWhyAnAnswerIsNotJsonWithoutQuotingIt() {
    assertThat(JsonText.read("Sure! name=SECRET"))
        .isInstanceOfSatisfying(
            JsonText.NotJson.class,
            n ->
                assertThat(n.problem())
                    .startsWith("the answer is not valid JSON (line 1, column")
                    .doesNotContain("Sure")
                    .doesNotContain("SECRET"));
    assertThat(JsonText.read("   "))
        .isEqualTo(new JsonText.NotJson("the answer is empty; it must be a JSON value"));
    assertThat(JsonText.read(null)).isInstanceOf(JsonText.NotJson.class);
    assertThat(JsonText.read("{\"a\":1} trailing")).isInstanceOf(JsonText.NotJson.class);
    assertThat(JsonText.read("{\"a\":1,\"a\":2}")).isInstanceOf(JsonText.NotJson.class);
    assertThat(JsonText.read("```json\nnot json\n```")).isInstanceOf(JsonText.NotJson.class);
    assertThat(JsonText.read("```json {\"a\":1}```")).isInstanceOf(JsonText.NotJson.class);
  }
}
