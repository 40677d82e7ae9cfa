package io.sluice.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.errors.AnthropicServiceException;
import com.anthropic.models.ErrorType;
import com.anthropic.models.messages.MessageCreateParams;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.OpenAIServiceException;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Rate-limit and overload errors as the official SDKs read them. */
class SdkErrorContractTest {
  private static Simulator simulator;
  private static OpenAIClient openAi;
  private static AnthropicClient anthropic;

  @BeforeAll
  static void start() {
    simulator =
        Simulator.start(
            SimulatorConfig.builder()
                .clock(new ManualClock(Instant.parse("2026-03-01T10:00:00Z")))
                .latency(LatencySettings.NONE)
                .limits("gpt-4o-mini", ModelLimits.openai(1, 100_000))
                .limits("claude-haiku-4-5", ModelLimits.anthropic(1, 50_000, 10_000))
                .build());
    openAi =
        OpenAIOkHttpClient.builder()
            .apiKey("sk-test")
            .baseUrl(simulator.baseUrl() + "/v1")
            .maxRetries(0)
            .responseValidation(true)
            .build();
    anthropic =
        AnthropicOkHttpClient.builder()
            .apiKey("sk-ant-test")
            .baseUrl(simulator.baseUrl().toString())
            .maxRetries(0)
            .responseValidation(true)
            .build();
  }

  @AfterAll
  static void stop() {
    openAi.close();
    anthropic.close();
    simulator.close();
  }

  @Test
  void shouldGiveTheOpenAiSdkARateLimitExceptionWithCodeAndHeaders() {
    openAi.chat().completions().create(chat("gpt-4o-mini", "reverse: abc"));

    RateLimitException e =
        catchThrowableOfType(
            RateLimitException.class,
            () -> openAi.chat().completions().create(chat("gpt-4o-mini", "reverse: abc")));

    assertThat(e.statusCode()).isEqualTo(429);
    assertThat(e.code()).hasValue("rate_limit_exceeded");
    assertThat(e.type()).hasValue("requests");
    assertThat(e.headers().values("retry-after-ms")).containsExactly("60000");
    assertThat(e.headers().values("x-ratelimit-remaining-requests")).containsExactly("0");
    assertThat(simulator.meter().snapshot().total("gpt-4o-mini").rateLimited()).isEqualTo(1);
  }

  @Test
  void shouldGiveTheOpenAiSdkInsufficientQuota() {
    OpenAIServiceException e =
        catchThrowableOfType(
            OpenAIServiceException.class,
            () ->
                openAi
                    .chat()
                    .completions()
                    .create(chat("gpt-4o", "#sim error=429 code=insufficient_quota\nhi")));

    assertThat(e.code()).hasValue("insufficient_quota");
  }

  @Test
  void shouldGiveTheAnthropicSdkRateLimitAndOverloadErrors() {
    anthropic.messages().create(message("claude-haiku-4-5", "reverse: abc"));

    AnthropicServiceException limited =
        catchThrowableOfType(
            AnthropicServiceException.class,
            () -> anthropic.messages().create(message("claude-haiku-4-5", "reverse: abc")));
    AnthropicServiceException overloaded =
        catchThrowableOfType(
            AnthropicServiceException.class,
            () -> anthropic.messages().create(message("claude-sonnet-4-5", "#sim error=529\nhi")));

    assertThat(limited.statusCode()).isEqualTo(429);
    assertThat(limited.type()).hasValue(ErrorType.RATE_LIMIT_ERROR);
    assertThat(limited.headers().values("retry-after")).containsExactly("60");
    assertThat(limited.requestId()).isPresent();
    assertThat(overloaded.statusCode()).isEqualTo(529);
    assertThat(overloaded.type()).hasValue(ErrorType.OVERLOADED_ERROR);
  }

  private static ChatCompletionCreateParams chat(String model, String text) {
    return ChatCompletionCreateParams.builder()
        .model(model)
        .addUserMessage(text)
        .maxCompletionTokens(20)
        .build();
  }

  private static MessageCreateParams message(String model, String text) {
    return MessageCreateParams.builder().model(model).maxTokens(20).addUserMessage(text).build();
  }
}
