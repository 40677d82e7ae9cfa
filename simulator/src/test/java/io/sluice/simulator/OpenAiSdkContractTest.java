package io.sluice.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The official OpenAI SDK, retries off and strict response validation on, against the simulator.
 */
class OpenAiSdkContractTest {
  private static Simulator simulator;
  private static OpenAIClient client;

  @BeforeAll
  static void start() {
    simulator = Simulator.start(SimulatorConfig.builder().latency(LatencySettings.NONE).build());
    client =
        OpenAIOkHttpClient.builder()
            .apiKey("sk-test")
            .baseUrl(simulator.baseUrl() + "/v1")
            .maxRetries(0)
            .responseValidation(true)
            .build();
  }

  @AfterAll
  static void stop() {
    client.close();
    simulator.close();
  }

  @Test
  void shouldParseAChatCompletion() {
    ChatCompletion completion =
        client
            .chat()
            .completions()
            .create(
                ChatCompletionCreateParams.builder()
                    .model("gpt-4o-mini")
                    .addUserMessage("reverse: abc")
                    .maxCompletionTokens(50)
                    .build());

    assertThat(completion.choices().get(0).message().content()).contains("cba");
    assertThat(completion.choices().get(0).finishReason())
        .isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
    assertThat(completion.usage())
        .hasValueSatisfying(u -> assertThat(u.completionTokens()).isPositive());
    assertThat(completion.model()).isEqualTo("gpt-4o-mini");
  }
}
