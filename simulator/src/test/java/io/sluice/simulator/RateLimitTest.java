package io.sluice.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Limits as the providers enforce them, on a manual clock: no sleeping. */
class RateLimitTest {
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private final ManualClock clock = new ManualClock(T0);
  private Simulator simulator;
  private RawHttp http;

  private void start(String model, ModelLimits limits) {
    simulator =
        Simulator.start(
            SimulatorConfig.builder()
                .clock(clock)
                .latency(LatencySettings.NONE)
                .limits(model, limits)
                .build());
    http = new RawHttp(simulator.baseUrl());
  }

  @AfterEach
  void stop() {
    simulator.close();
  }

  @Test
  void shouldRefuseTheRequestOverTheOpenAiRpmWith429AndHeaders() {
    start("gpt-4o-mini", ModelLimits.openai(3, 1_000_000));
    List<String> remaining = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      HttpResponse<String> ok = http.openAi(RawHttp.chat("gpt-4o-mini", "reverse: abc", 10));
      assertThat(ok.statusCode()).isEqualTo(200);
      remaining.add(ok.headers().firstValue("x-ratelimit-remaining-requests").orElseThrow());
    }

    HttpResponse<String> refused = http.openAi(RawHttp.chat("gpt-4o-mini", "reverse: abc", 10));

    assertThat(remaining).containsExactly("2", "1", "0");
    assertThat(refused.statusCode()).isEqualTo(429);
    JsonNode error = RawHttp.json(refused.body()).path("error");
    assertThat(error.path("code").asText()).isEqualTo("rate_limit_exceeded");
    assertThat(error.path("type").asText()).isEqualTo("requests");
    assertThat(error.path("message").asText()).contains("requests per min (RPM): Limit 3");
    assertThat(refused.headers().firstValue("retry-after")).hasValue("20");
    assertThat(refused.headers().firstValue("retry-after-ms")).hasValue("20000");
    assertThat(refused.headers().firstValue("x-ratelimit-limit-requests")).hasValue("3");
    assertThat(refused.headers().firstValue("x-ratelimit-remaining-requests")).hasValue("0");
    assertThat(refused.headers().firstValue("x-ratelimit-reset-requests")).hasValue("1m0s");

    clock.advance(Duration.ofSeconds(20));
    assertThat(http.openAi(RawHttp.chat("gpt-4o-mini", "reverse: abc", 10)).statusCode())
        .isEqualTo(200);
  }

  @Test
  void shouldCountPromptPlusMaxTokensAgainstTheOpenAiTpm() {
    start("gpt-4o-mini", ModelLimits.openai(1_000, 1_000));

    HttpResponse<String> first = http.openAi(RawHttp.chat("gpt-4o-mini", "reverse: abc", 600));
    int prompt = RawHttp.json(first.body()).path("usage").path("prompt_tokens").asInt();
    HttpResponse<String> second = http.openAi(RawHttp.chat("gpt-4o-mini", "reverse: abc", 600));

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.headers().firstValue("x-ratelimit-remaining-tokens"))
        .hasValue(Integer.toString(1_000 - prompt - 600));
    assertThat(second.statusCode()).isEqualTo(429);
    assertThat(RawHttp.json(second.body()).path("error").path("type").asText()).isEqualTo("tokens");
    assertThat(second.headers().firstValue("x-ratelimit-reset-tokens")).isPresent();
  }

  @Test
  void shouldSendNo429WhileTheClientStaysUnderTheLimit() {
    start("gpt-4o-mini", ModelLimits.openai(60, 100_000));
    int refused = 0;
    for (int i = 0; i < 90; i++) {
      if (http.openAi(RawHttp.chat("gpt-4o-mini", "sum: " + i, 20)).statusCode() == 429) {
        refused++;
      }
      clock.advance(Duration.ofSeconds(1));
    }

    assertThat(refused).isZero();
    assertThat(simulator.meter().snapshot().total("gpt-4o-mini").requests()).isEqualTo(90);
  }

  @Test
  void shouldRefuseOverTheAnthropicInputTokenBucketWithRetryAfter() {
    start("claude-sonnet-4-5", ModelLimits.anthropic(50, 30_000, 8_000));
    String bigPrompt = "reverse: " + "lorem ipsum dolor sit amet ".repeat(3_500);

    HttpResponse<String> first =
        http.anthropic(AnthropicMessagesTest.message("claude-sonnet-4-5", bigPrompt, 100));
    HttpResponse<String> second =
        http.anthropic(AnthropicMessagesTest.message("claude-sonnet-4-5", bigPrompt, 100));

    assertThat(first.statusCode()).isEqualTo(200);
    int input = RawHttp.json(first.body()).path("usage").path("input_tokens").asInt();
    assertThat(input).isBetween(15_001, 30_000);
    long expectedRemaining = Math.round((30_000 - input) / 1000.0) * 1000;
    assertThat(first.headers().firstValue("anthropic-ratelimit-input-tokens-remaining"))
        .hasValue(Long.toString(expectedRemaining));
    assertThat(second.statusCode()).isEqualTo(429);
    assertThat(RawHttp.json(second.body()).path("error").path("type").asText())
        .isEqualTo("rate_limit_error");
    long retryAfter = Long.parseLong(second.headers().firstValue("retry-after").orElseThrow());
    assertThat(retryAfter).isBetween(1L, 60L);
    Instant reset =
        Instant.parse(
            second.headers().firstValue("anthropic-ratelimit-input-tokens-reset").orElseThrow());
    assertThat(reset).isAfter(T0);
    for (String name : List.of("requests", "tokens", "input-tokens", "output-tokens")) {
      assertThat(second.headers().firstValue("anthropic-ratelimit-" + name + "-limit")).isPresent();
    }

    clock.advance(Duration.ofSeconds(retryAfter));
    assertThat(
            http.anthropic(AnthropicMessagesTest.message("claude-sonnet-4-5", bigPrompt, 100))
                .statusCode())
        .isEqualTo(200);
  }

  @Test
  void shouldRefillTheAnthropicRequestBucketContinuously() {
    start("claude-haiku-4-5", ModelLimits.anthropic(60, 50_000, 10_000));
    String body = AnthropicMessagesTest.message("claude-haiku-4-5", "reverse: abc", 10);
    for (int i = 0; i < 60; i++) {
      assertThat(http.anthropic(body).statusCode()).isEqualTo(200);
    }
    assertThat(http.anthropic(body).statusCode()).isEqualTo(429);

    clock.advance(Duration.ofSeconds(1));

    assertThat(http.anthropic(body).statusCode()).isEqualTo(200);
    assertThat(http.anthropic(body).statusCode()).isEqualTo(429);
  }

  @Test
  void shouldMeterExactlyWhatTheClientSentPerMinute() {
    start("gpt-4o-mini", ModelLimits.openai(5, 1_000_000));
    long prompt = 0;
    long completion = 0;
    int ok = 0;
    int refused = 0;
    for (int i = 0; i < 8; i++) {
      HttpResponse<String> response = http.openAi(RawHttp.chat("gpt-4o-mini", "sum: 1 " + i, 10));
      if (response.statusCode() == 200) {
        JsonNode usage = RawHttp.json(response.body()).path("usage");
        prompt += usage.path("prompt_tokens").asLong();
        completion += usage.path("completion_tokens").asLong();
        ok++;
      } else {
        refused++;
      }
    }
    clock.advance(Duration.ofMinutes(1));
    http.openAi(RawHttp.chat("gpt-4o-mini", "sum: 1", 10));
    http.openAi(RawHttp.chat("nope-model", "sum: 1", 10));

    MeterSnapshot snapshot = simulator.meter().snapshot();
    MeterRow first = snapshot.minute(T0).getFirst();
    assertThat(ok).isEqualTo(5);
    assertThat(first.requests()).isEqualTo(5);
    assertThat(first.rateLimited()).isEqualTo(refused).isEqualTo(3);
    assertThat(first.inputTokens()).isEqualTo(prompt);
    assertThat(first.outputTokens()).isEqualTo(completion);
    assertThat(first.maxTokens()).as("max_tokens 10 of each accepted call").isEqualTo(50);
    assertThat(snapshot.total("gpt-4o-mini").requests()).isEqualTo(6);
    assertThat(snapshot.total().errors()).isEqualTo(1);

    JsonNode json = RawHttp.json(http.get("/_sim/meter", java.util.Map.of()).body());
    assertThat(json.path("rows").get(0).path("minute").asText()).isEqualTo(T0.toString());
    assertThat(json.path("rows").get(0).path("requests").asLong()).isEqualTo(5);
    assertThat(json.path("rows").get(0).path("rate_limited").asLong()).isEqualTo(3);
    assertThat(json.path("rows").get(0).path("max_tokens").asLong()).isEqualTo(50);
  }
}
