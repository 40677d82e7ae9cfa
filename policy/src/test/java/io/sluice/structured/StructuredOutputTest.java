package io.sluice.structured;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.schemas.job.ChatMessage;
import io.sluice.schemas.job.CompletionSpec;
import io.sluice.schemas.json.Json;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;

class StructuredOutputTest {
  private static final JsonNode SCHEMA =
      json(
          "{\"type\":\"object\",\"required\":[\"city\"],"
              + "\"properties\":{\"city\":{\"type\":\"string\"}}}");
  private static final CompletionSpec REQUEST = request(null);

  @Test
  void shouldHaveNoRuleForARequestWithoutASchema() {
    CompletionSpec plain =
        new CompletionSpec("gpt-4o-mini", List.of(ChatMessage.user("hi")), null, null, null);

    assertThat(StructuredOutput.of(plain)).isEmpty();
  }

  @Test
  void shouldAcceptAnAnswerThatSatisfiesTheSchema() {
    StructuredOutput rule = StructuredOutput.of(REQUEST).orElseThrow();

    StructuredOutput.Step step = rule.judge(REQUEST, "```json\n{\"city\":\"Oslo\"}\n```", 0);

    assertThat(step)
        .isInstanceOfSatisfying(
            StructuredOutput.Accept.class,
            accept -> assertThat(accept.json()).isEqualTo(json("{\"city\":\"Oslo\"}")));
  }

  @Test
  void shouldRepairWithTheAnswerAndItsValidationErrorsAppendedToTheConversation() {
    StructuredOutput rule = StructuredOutput.of(REQUEST).orElseThrow();

    StructuredOutput.Step step = rule.judge(REQUEST, "{\"town\":\"Oslo\"}", 0);

    assertThat(step).isInstanceOf(StructuredOutput.Repair.class);
    CompletionSpec next = ((StructuredOutput.Repair) step).request();
    assertThat(next.messages()).hasSize(3);
    assertThat(next.messages().get(0)).isEqualTo(REQUEST.messages().get(0));
    assertThat(next.messages().get(1)).isEqualTo(ChatMessage.assistant("{\"town\":\"Oslo\"}"));
    ChatMessage prompt = next.messages().get(2);
    assertThat(prompt.role()).isEqualTo("user");
    assertThat(prompt.content())
        .contains("does not satisfy the required JSON Schema")
        .contains("city")
        .contains("Answer again with only a JSON value")
        .doesNotContain("Oslo");
    assertThat(next.responseSchema()).isEqualTo(SCHEMA);
    assertThat(next.model()).isEqualTo(REQUEST.model());
  }

  @Test
  void shouldRepairAnAnswerThatIsNotJsonAtAll() {
    StructuredOutput rule = StructuredOutput.of(REQUEST).orElseThrow();

    var step = (StructuredOutput.Repair) rule.judge(REQUEST, "The city is Oslo.", 1);

    assertThat(step.violations().messages())
        .singleElement()
        .asString()
        .startsWith("the answer is not valid JSON");
  }

  @Test
  void shouldGiveUpAfterTheDefaultTwoRepairsWithTheLastErrorsAndNeverTheOutput() {
    StructuredOutput rule = StructuredOutput.of(REQUEST).orElseThrow();
    CompletionSpec second =
        ((StructuredOutput.Repair) rule.judge(REQUEST, "{\"town\":\"A\"}", 0)).request();
    CompletionSpec third =
        ((StructuredOutput.Repair) rule.judge(second, "{\"town\":\"B\"}", 1)).request();

    StructuredOutput.Step step = rule.judge(third, "{\"city\":7,\"secret\":\"C\"}", 2);

    assertThat(rule.maxRepairs()).isEqualTo(StructuredOutput.DEFAULT_MAX_REPAIRS);
    assertThat(third.messages()).hasSize(5);
    assertThat(step)
        .isInstanceOfSatisfying(
            StructuredOutput.GiveUp.class,
            giveUp -> {
              assertThat(giveUp.error().code()).isEqualTo("output_schema_mismatch");
              assertThat(giveUp.error().retriable()).isFalse();
              assertThat(giveUp.error().message())
                  .startsWith("the output does not satisfy response_schema after 2 repairs: ")
                  .contains("/city")
                  .doesNotContain("\"C\"")
                  .doesNotContain("secret\":");
            });
  }

  @Test
  void shouldGiveUpAtOnceWhenNoRepairIsAllowed() {
    CompletionSpec none = request(0);

    var step = StructuredOutput.of(none).orElseThrow().judge(none, "[]", 0);

    assertThat(step).isInstanceOf(StructuredOutput.GiveUp.class);
    assertThat(((StructuredOutput.GiveUp) step).error().message()).contains("after 0 repairs");
  }

  @Test
  void shouldKeepTheRequestsNumberOfRepairsWithinTheLimit() {
    assertThat(StructuredOutput.of(request(4)).orElseThrow().maxRepairs()).isEqualTo(4);
    assertThat(StructuredOutput.of(request(99)).orElseThrow().maxRepairs())
        .isEqualTo(StructuredOutput.MAX_REPAIRS);
  }

  @Test
  void shouldRefuseARequestWhoseSchemaCannotBeUsed() {
    CompletionSpec bad =
        new CompletionSpec(
            "gpt-4o-mini", List.of(ChatMessage.user("x")), null, null, json("{\"type\":1}"));

    assertThatThrownBy(() -> StructuredOutput.of(bad))
        .isInstanceOf(InvalidResponseSchemaException.class)
        .hasMessageContaining("/type");
  }

  private static CompletionSpec request(Integer maxRepairs) {
    return new CompletionSpec(
        "gpt-4o-mini",
        List.of(ChatMessage.user("Where? Answer as JSON.")),
        100,
        null,
        SCHEMA,
        maxRepairs);
  }

  private static JsonNode json(String text) {
    try {
      return Json.mapper().readTree(text);
    } catch (IOException e) {
      throw new AssertionError(e);
    }
  }
}
