package io.sluice.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.genai.Client;
import com.google.genai.errors.ApiException;
import com.google.genai.types.Content;
import com.google.genai.types.FinishReason;
import com.google.genai.types.GenerateContentConfig;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.GenerateContentResponseUsageMetadata;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.HttpRetryOptions;
import com.google.genai.types.Part;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The official Gemini SDK ({@code com.google.genai:google-genai}), retries off, against the
 * simulator's {@code generateContent}: it must read text, finish reason and usage exactly, and the
 * errors in Google's RPC shape.
 */
class GeminiSdkContractTest {
  private static Simulator simulator;
  private static Client client;

  @BeforeAll
  static void start() {
    simulator =
        Simulator.start(
            SimulatorConfig.builder()
                .clock(new ManualClock(Instant.parse("2026-03-01T10:00:00Z")))
                .latency(LatencySettings.NONE)
                .limits("gemini-2.0-flash", ModelLimits.gemini(1, 1_000_000))
                .build());
    client =
        Client.builder()
            .apiKey("any-gemini-key")
            .httpOptions(
                HttpOptions.builder()
                    .baseUrl(simulator.baseUrl().toString())
                    .retryOptions(HttpRetryOptions.builder().attempts(1).build())
                    .build())
            .build();
  }

  @AfterAll
  static void stop() {
    client.close();
    simulator.close();
  }

  @Test
  void shouldReadTextFinishReasonAndUsageExactly() {
    MeterRow before = simulator.meter().snapshot().total("gemini-2.5-flash");
    GenerateContentResponse response =
        client.models.generateContent(
            "gemini-2.5-flash",
            "reverse: abc",
            GenerateContentConfig.builder().maxOutputTokens(50).build());

    MeterRow after = simulator.meter().snapshot().total("gemini-2.5-flash");
    long input = after.inputTokens() - before.inputTokens();
    long output = after.outputTokens() - before.outputTokens();
    GenerateContentResponseUsageMetadata usage = response.usageMetadata().orElseThrow();
    assertThat(response.text()).isEqualTo("cba");
    assertThat(response.finishReason().knownEnum()).isEqualTo(FinishReason.Known.STOP);
    assertThat(usage.promptTokenCount()).contains((int) input);
    assertThat(usage.candidatesTokenCount()).contains((int) output);
    assertThat(usage.totalTokenCount()).contains((int) (input + output));
    assertThat(input).isPositive();
    assertThat(after.requests() - before.requests()).isEqualTo(1);
    assertThat(response.modelVersion()).contains("gemini-2.5-flash");
  }

  @Test
  void shouldFollowASystemInstructionAndAJsonSchema() {
    GenerateContentResponse response =
        client.models.generateContent(
            "gemini-2.5-pro",
            "extract the total",
            GenerateContentConfig.builder()
                .systemInstruction(Content.fromParts(Part.fromText("You extract numbers.")))
                .responseMimeType("application/json")
                .responseJsonSchema(
                    Map.of(
                        "type", "object",
                        "properties", Map.of("total", Map.of("type", "integer")),
                        "required", java.util.List.of("total")))
                .build());

    JsonNode output = RawHttp.json(response.text());
    assertThat(output.path("total").isIntegralNumber()).isTrue();
  }

  @Test
  void shouldStopAtMaxOutputTokens() {
    GenerateContentResponse response =
        client.models.generateContent(
            "gemini-2.5-flash",
            "Write an essay about rivers",
            GenerateContentConfig.builder().maxOutputTokens(3).build());

    assertThat(response.finishReason().knownEnum()).isEqualTo(FinishReason.Known.MAX_TOKENS);
    assertThat(response.usageMetadata().orElseThrow().candidatesTokenCount()).contains(3);
  }

  @Test
  void shouldGiveTheSdkResourceExhaustedWhenTheRpmIsSpent() {
    client.models.generateContent("gemini-2.0-flash", "reverse: abc", null);

    ApiException e =
        catchThrowableOfType(
            ApiException.class,
            () -> client.models.generateContent("gemini-2.0-flash", "reverse: abc", null));

    assertThat(e.code()).isEqualTo(429);
    assertThat(e.status()).isEqualTo("RESOURCE_EXHAUSTED");
    assertThat(e.message()).contains("Quota exceeded");
    assertThat(simulator.meter().snapshot().total("gemini-2.0-flash").rateLimited()).isEqualTo(1);
  }

  @Test
  void shouldGiveTheSdkGoogleErrorsForInjectedFaults() {
    ApiException overloaded =
        catchThrowableOfType(
            ApiException.class,
            () -> client.models.generateContent("gemini-2.5-pro", "#sim error=503\nhi", null));
    ApiException unknown =
        catchThrowableOfType(
            ApiException.class, () -> client.models.generateContent("text-bison-001", "hi", null));

    assertThat(overloaded.code()).isEqualTo(503);
    assertThat(overloaded.status()).isEqualTo("UNAVAILABLE");
    assertThat(unknown.code()).isEqualTo(404);
    assertThat(unknown.status()).isEqualTo("NOT_FOUND");
  }
}
