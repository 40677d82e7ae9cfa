package io.sluice.providers.gemini;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.providers.internal.MalformedBodyException;
import io.sluice.providers.internal.ParsedCompletion;
import io.sluice.schemas.job.ChatMessage;
import io.sluice.schemas.job.CompletionSpec;
import io.sluice.schemas.job.TokenUsage;
import io.sluice.schemas.json.Json;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class GeminiWireTest {
  @Test
  void shouldMapSystemAssistantAndGenerationConfig() throws IOException {
    JsonNode schema = Json.mapper().readTree("{\"type\":\"object\"}");
    CompletionSpec spec =
        new CompletionSpec(
            "gemini-2.5-flash",
            List.of(
                ChatMessage.system("Be brief."),
                ChatMessage.user("hi"),
                new ChatMessage("assistant", "hello"),
                ChatMessage.user("again")),
            100,
            0.2,
            schema);

    JsonNode body = GeminiWire.generateRequest(spec, null);

    assertThat(body.path("systemInstruction").path("parts").get(0).path("text").asText())
        .isEqualTo("Be brief.");
    assertThat(body.path("contents")).hasSize(3);
    assertThat(body.path("contents").get(1).path("role").asText()).isEqualTo("model");
    assertThat(body.path("contents").get(2).path("parts").get(0).path("text").asText())
        .isEqualTo("again");
    JsonNode config = body.path("generationConfig");
    assertThat(config.path("maxOutputTokens").asInt()).isEqualTo(100);
    assertThat(config.path("temperature").asDouble()).isEqualTo(0.2);
    assertThat(config.path("responseMimeType").asText()).isEqualTo("application/json");
    assertThat(config.path("responseJsonSchema")).isEqualTo(schema);
    assertThat(body.has("model")).isFalse();
    assertThat(GeminiWire.generatePath("models/gemini-2.5-pro"))
        .isEqualTo("/v1beta/models/gemini-2.5-pro:generateContent");
  }

  @Test
  void shouldCountThinkingAsOutputAndLeaveThoughtSummariesOut() throws IOException {
    ParsedCompletion parsed =
        GeminiWire.parseGenerate(
            Json.mapper()
                .readTree(
                    """
                    {"candidates":[{"content":{"role":"model","parts":[
                       {"text":"thinking...","thought":true},{"text":"4"},{"text":"2"}]},
                     "finishReason":"STOP"}],
                     "usageMetadata":{"promptTokenCount":10,"candidatesTokenCount":2,
                       "thoughtsTokenCount":30,"totalTokenCount":42},
                     "modelVersion":"gemini-2.5-pro","responseId":"abc"}
                    """));

    assertThat(parsed.output()).isEqualTo("42");
    assertThat(parsed.usage()).isEqualTo(new TokenUsage(10, 32));
    assertThat(parsed.model()).isEqualTo("gemini-2.5-pro");
    assertThat(parsed.requestId()).isEqualTo("abc");
  }

  @Test
  void shouldTreatABlockedPromptOrASafetyStopAsARefusal() throws IOException {
    ParsedCompletion blocked =
        GeminiWire.parseGenerate(
            Json.mapper()
                .readTree(
                    "{\"promptFeedback\":{\"blockReason\":\"SAFETY\"},"
                        + "\"usageMetadata\":{\"promptTokenCount\":5}}"));
    ParsedCompletion stopped =
        GeminiWire.parseGenerate(
            Json.mapper()
                .readTree(
                    "{\"candidates\":[{\"finishReason\":\"SAFETY\"}],"
                        + "\"usageMetadata\":{\"promptTokenCount\":5}}"));

    assertThat(blocked.isRefusal()).isTrue();
    assertThat(blocked.refusal()).contains("SAFETY");
    assertThat(stopped.isRefusal()).isTrue();
  }

  @Test
  void shouldCallABodyWithoutCandidatesOrUsageMalformed() {
    assertThatThrownBy(
            () ->
                GeminiWire.parseGenerate(
                    Json.mapper().readTree("{\"usageMetadata\":{\"promptTokenCount\":5}}")))
        .isInstanceOf(MalformedBodyException.class);
    assertThatThrownBy(
            () -> GeminiWire.parseGenerate(Json.mapper().readTree("{\"candidates\":[]}")))
        .isInstanceOf(MalformedBodyException.class);
  }

  @Test
  void shouldReadRetryDelaysAndTellPerDayFromPerMinuteQuotas() throws IOException {
    JsonNode perDay =
        Json.mapper()
            .readTree(
                """
                [{"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[
                   {"quotaMetric":"generativelanguage.googleapis.com/generate_content_free_tier_requests",
                    "quotaId":"GenerateRequestsPerDayPerProjectPerModel-FreeTier"}]},
                 {"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"32.08s"}]
                """);
    JsonNode perMinute =
        Json.mapper()
            .readTree(
                """
                [{"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[
                   {"quotaId":"GenerateRequestsPerMinutePerProjectPerModel"}]}]
                """);

    assertThat(GeminiErrors.isPerDayQuota(perDay)).isTrue();
    assertThat(GeminiErrors.isPerDayQuota(perMinute)).isFalse();
    assertThat(GeminiErrors.retryDelay(perDay)).contains(Duration.ofMillis(32_080));
    assertThat(GeminiErrors.protoDuration("30s")).contains(Duration.ofSeconds(30));
    assertThat(GeminiErrors.protoDuration("soon")).isEmpty();
  }
}
