package io.sluice.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FaultInjectionTest {
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private static final ManualClock CLOCK = new ManualClock(T0);
  private static Simulator simulator;
  private static RawHttp http;

  @BeforeAll
  static void start() {
    simulator =
        Simulator.start(
            SimulatorConfig.builder().clock(CLOCK).latency(LatencySettings.NONE).build());
    http = new RawHttp(simulator.baseUrl());
  }

  @AfterAll
  static void stop() {
    simulator.close();
  }

  @BeforeEach
  void noRandomFaults() {
    simulator.faults(FaultSettings.NONE);
    simulator.latency(LatencySettings.NONE);
  }

  @Test
  void shouldAnswerTheRequestedErrorInOpenAiFormatWithRetryHints() {
    HttpResponse<String> response =
        http.openAi(
            RawHttp.chat("gpt-4o-mini", "#sim error=503 retry-after-ms=1500\nreverse: abc"));

    assertThat(response.statusCode()).isEqualTo(503);
    JsonNode error = RawHttp.json(response.body()).path("error");
    assertThat(error.path("type").asText()).isEqualTo("server_error");
    assertThat(response.headers().firstValue("retry-after-ms")).hasValue("1500");
    assertThat(response.headers().firstValue("x-ratelimit-remaining-requests")).isPresent();
  }

  @Test
  void shouldAnswerInsufficientQuotaWhenAsked() {
    HttpResponse<String> response =
        http.openAi(RawHttp.chat("gpt-4o-mini", "#sim error=429 code=insufficient_quota\nhi"));

    JsonNode error = RawHttp.json(response.body()).path("error");
    assertThat(response.statusCode()).isEqualTo(429);
    assertThat(error.path("code").asText()).isEqualTo("insufficient_quota");
    assertThat(error.path("type").asText()).isEqualTo("insufficient_quota");
  }

  @Test
  void shouldSendRetryAfterAsAnHttpDate() {
    HttpResponse<String> response =
        http.openAi(RawHttp.chat("gpt-4o-mini", "#sim error=429 retry-after-date=30\nhi"));

    String date = response.headers().firstValue("retry-after").orElseThrow();
    assertThat(ZonedDateTime.parse(date, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant())
        .isEqualTo(T0.plusSeconds(30));
    assertThat(date).endsWith("GMT");
  }

  @Test
  void shouldFailOnlyTheFirstCallsWithTheSameBody() {
    String body = RawHttp.chat("gpt-4o-mini", "#sim error=500 fail-first=2\nreverse: xyz");

    assertThat(http.openAi(body).statusCode()).isEqualTo(500);
    assertThat(http.openAi(body).statusCode()).isEqualTo(500);
    HttpResponse<String> third = http.openAi(body);

    assertThat(third.statusCode()).isEqualTo(200);
    assertThat(
            RawHttp.json(third.body())
                .path("choices")
                .get(0)
                .path("message")
                .path("content")
                .asText())
        .isEqualTo("zyx");
  }

  @Test
  void shouldDelayTheAnswerWhenAskedToHang() {
    long start = System.nanoTime();
    HttpResponse<String> response = http.openAi(RawHttp.chat("gpt-4o-mini", "#sim hang=300\nhi"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(Duration.ofNanos(System.nanoTime() - start))
        .isGreaterThanOrEqualTo(Duration.ofMillis(300));
  }

  @Test
  void shouldAnswerMalformedJsonWithStatus200() {
    HttpResponse<String> response = http.openAi(RawHttp.chat("gpt-4o-mini", "#sim malformed\nhi"));

    assertThat(response.statusCode()).isEqualTo(200);
    assertThatThrownBy(() -> RawHttp.json(response.body()))
        .isInstanceOf(UncheckedIOException.class);
  }

  @Test
  void shouldCutTheBodyShortOrDropTheConnection() {
    HttpResponse<String> truncated = http.openAi(RawHttp.chat("gpt-4o-mini", "#sim truncated\nhi"));
    assertThat(truncated.statusCode()).isEqualTo(200);
    assertThat(truncated.body()).startsWith("{\"id\":\"chatcmpl-");
    assertThatThrownBy(() -> RawHttp.json(truncated.body()))
        .isInstanceOf(UncheckedIOException.class);
    assertThatThrownBy(
            () ->
                http.anthropic(
                    AnthropicMessagesTest.message("claude-haiku-4-5", "#sim reset\nhi", 9)))
        .isInstanceOf(UncheckedIOException.class);
    assertThat(http.openAi(RawHttp.chat("gpt-4o-mini", "reverse: ok")).statusCode()).isEqualTo(200);
  }

  @Test
  void shouldRefuseAnUnknownDirectiveWith400() {
    HttpResponse<String> response = http.openAi(RawHttp.chat("gpt-4o-mini", "#sim explode\nhi"));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(RawHttp.json(response.body()).path("error").path("message").asText())
        .contains("explode");
  }

  @Test
  void shouldFailEveryCallDuringAnOutageWindow() {
    simulator.faults(
        FaultSettings.NONE.withOutage(T0.plusSeconds(60), Duration.ofSeconds(30), 503));

    assertThat(http.openAi(RawHttp.chat("gpt-4o-mini", "hi")).statusCode()).isEqualTo(200);
    CLOCK.advance(Duration.ofSeconds(70));
    assertThat(http.openAi(RawHttp.chat("gpt-4o-mini", "hi")).statusCode()).isEqualTo(503);
    assertThat(
            http.anthropic(AnthropicMessagesTest.message("claude-haiku-4-5", "hi", 5)).statusCode())
        .isEqualTo(503);
    CLOCK.advance(Duration.ofSeconds(30));
    assertThat(http.openAi(RawHttp.chat("gpt-4o-mini", "hi")).statusCode()).isEqualTo(200);
  }

  @Test
  void shouldLimitAnOutageToTheNamedApis() {
    simulator.faults(
        FaultSettings.NONE
            .withOutage(CLOCK.instant(), Duration.ofSeconds(30), 503)
            .withOutageApis("openai"));

    assertThat(http.openAi(RawHttp.chat("gpt-4o-mini", "hi")).statusCode()).isEqualTo(503);
    assertThat(
            http.anthropic(AnthropicMessagesTest.message("claude-haiku-4-5", "hi", 5)).statusCode())
        .isEqualTo(200);
  }

  @Test
  void shouldApplyADirectivesFaultsOnlyToTheNamedApi() {
    String prompt = "#sim error=500 api=openai\nreverse: abc";

    assertThat(http.openAi(RawHttp.chat("gpt-4o-mini", prompt)).statusCode()).isEqualTo(500);
    HttpResponse<String> anthropic =
        http.anthropic(AnthropicMessagesTest.message("claude-haiku-4-5", prompt, 5));
    assertThat(anthropic.statusCode()).isEqualTo(200);
    assertThat(anthropic.body()).contains("cba");
    assertThat(
            http.openAi(RawHttp.chat("gpt-4o-mini", "#sim error=500 api=azure\nhi")).statusCode())
        .isEqualTo(400);
  }

  @Test
  void shouldInjectRandomFaultsInTheConfiguredShare() {
    simulator.faults(
        FaultSettings.NONE.withServerErrorShare(0.3).withOverloadedShare(0.2).withSeed(1));
    int ok = 0;
    int serverErrors = 0;
    int overloaded = 0;
    for (int i = 0; i < 200; i++) {
      int status =
          http.anthropic(AnthropicMessagesTest.message("claude-haiku-4-5", "sum: " + i, 5))
              .statusCode();
      switch (status) {
        case 200 -> ok++;
        case 500 -> serverErrors++;
        case 529 -> overloaded++;
        default -> throw new AssertionError("unexpected status " + status);
      }
    }

    assertThat(serverErrors).isBetween(40, 80);
    assertThat(overloaded).isBetween(22, 60);
    assertThat(ok).isEqualTo(200 - serverErrors - overloaded);
  }

  @Test
  void shouldAddLatencyThatGrowsWithOutputTokens() {
    simulator.latency(new LatencySettings(Duration.ofMillis(50), Duration.ofMillis(10)));
    long start = System.nanoTime();
    HttpResponse<String> response =
        http.openAi(RawHttp.chat("gpt-4o-mini", "Write about rivers", 20));
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    int tokens = RawHttp.json(response.body()).path("usage").path("completion_tokens").asInt();
    assertThat(took).isGreaterThanOrEqualTo(Duration.ofMillis(50 + 10L * tokens));
  }
}
