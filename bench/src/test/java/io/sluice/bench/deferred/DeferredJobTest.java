package io.sluice.bench.deferred;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sluice.bench.backlog.PromptText;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeferredJobTest {
  private final DeferredJob job = new DeferredJob(7, "gpt-4o-mini", 300, 200);

  @Test
  void shouldAskTheSimulatorToReverseAboutThePromptTokensAsked() {
    assertThat(job.text()).startsWith("reverse: ");
    long tokens = PromptText.count(job.text()) + PromptText.overhead();
    assertThat((double) tokens).isCloseTo(300, within(3.0));
  }

  @Test
  void shouldSubmitInTheDeferredModeWithTheRequestedMaxTokens() {
    Map<String, Object> body = job.requestBody("run1");
    assertThat(body)
        .containsEntry("model", "gpt-4o-mini")
        .containsEntry("mode", "deferred")
        .containsEntry("max_tokens", 200)
        .containsEntry("messages", List.of(Map.of("role", "user", "content", job.text())));
    assertThat(job.idempotencyKey("run1")).isEqualTo("run1-7");
  }

  @Test
  void shouldAcceptTheReversedWordsEvenWhenCutShort() {
    String reversed =
        new StringBuilder(job.text().substring("reverse: ".length())).reverse().toString();
    assertThat(job.answeredBy(reversed)).isTrue();
    assertThat(job.answeredBy(reversed.substring(0, 40))).isTrue();
  }

  @Test
  void shouldRejectAnEmptyOrForeignAnswer() {
    assertThat(job.answeredBy("")).isFalse();
    assertThat(job.answeredBy(null)).isFalse();
    assertThat(job.answeredBy("river stone")).isFalse();
  }
}
