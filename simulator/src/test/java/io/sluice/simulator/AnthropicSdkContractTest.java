package io.sluice.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.StopReason;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The official Anthropic SDK, retries off and strict response validation on, against the simulator.
 */
class AnthropicSdkContractTest {
  private static Simulator simulator;
  private static AnthropicClient client;

  @BeforeAll
  static void start() {
    simulator = Simulator.start(SimulatorConfig.builder().latency(LatencySettings.NONE).build());
    client =
        AnthropicOkHttpClient.builder()
            .apiKey("sk-ant-test")
            .baseUrl(simulator.baseUrl().toString())
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
  void shouldParseAMessage() {
    Message message =
        client
            .messages()
            .create(
                MessageCreateParams.builder()
                    .model("claude-sonnet-4-5")
                    .maxTokens(100)
                    .system("You are a test.")
                    .addUserMessage("reverse: abc")
                    .build());

    assertThat(message.content().get(0).asText().text()).isEqualTo("cba");
    assertThat(message.stopReason()).hasValue(StopReason.END_TURN);
    assertThat(message.usage().inputTokens()).isPositive();
    assertThat(message.usage().outputTokens()).isPositive();
  }
}
