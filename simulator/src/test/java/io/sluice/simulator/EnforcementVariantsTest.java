package io.sluice.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.StopReason;
import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.simulator.internal.answer.PromptMessage;
import io.sluice.simulator.internal.answer.Tokens;
import io.sluice.simulator.internal.realtime.ChatRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The enforcement variants (a)–(g) of the README on the wire, each against what the exact model
 * ({@link Enforcement#EXACT}) would do; rate limits on a manual clock, no sleeping.
 */
class EnforcementVariantsTest {
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private static final String MODEL = "claude-sonnet-4-5";
  private static final String SENTENCE =
      "The quarterly report shows that revenue grew in every region, although shipping costs rose"
          + " sharply after the new tariffs were introduced in March. ";
  private final ManualClock clock = new ManualClock(T0);
  private final List<Simulator> started = new ArrayList<>();

  private RawHttp start(String model, ModelLimits limits, Enforcement enforcement) {
    return new RawHttp(startSimulator(model, limits, enforcement, LatencySettings.NONE).baseUrl());
  }

  private Simulator startSimulator(
      String model, ModelLimits limits, Enforcement enforcement, LatencySettings latency) {
    Simulator simulator =
        Simulator.start(
            SimulatorConfig.builder()
                .clock(clock)
                .latency(latency)
                .limits(model, limits)
                .enforcement(enforcement)
                .build());
    started.add(simulator);
    return simulator;
  }

  @AfterEach
  void stop() {
    started.forEach(Simulator::close);
  }

  // (a) token counting that differs from Sluice's

  @Test
  void shouldChargeOpenAiCallsTheirCharactersOverFourPlusMaxTokensNotTheirTokens() {
    RawHttp http =
        start(
            "gpt-4o-mini",
            ModelLimits.openai(1_000, 100_000),
            Enforcement.EXACT.withCharacterEstimate());
    String prompt = SENTENCE.repeat(20);

    HttpResponse<String> ok = http.openAi(RawHttp.chat("gpt-4o-mini", prompt, 100));

    int promptTokens = RawHttp.json(ok.body()).path("usage").path("prompt_tokens").asInt();
    long charged = 100_000 - remaining(ok, "x-ratelimit-remaining-tokens");
    assertThat(promptTokens).isEqualTo(Tokens.countPrompt(List.of(user(prompt))));
    assertThat(charged).isEqualTo(Math.ceilDiv(prompt.length(), 4) + 100);
    assertThat(charged).isGreaterThan(promptTokens + 100 + promptTokens / 10);
    assertThat(started.getLast().meter().snapshot().total("gpt-4o-mini").chargedTokens())
        .isEqualTo(charged);
  }

  @Test
  void shouldCountClaudePromptsTenToThirtyPercentAboveO200kDeterministically() {
    RawHttp http =
        start(
            "claude-sonnet-4-5",
            ModelLimits.anthropic(1_000, 1_000_000, 100_000),
            Enforcement.EXACT.withClaudeTokenizer());
    Set<Integer> biasesInPercent = new HashSet<>();
    for (int i = 0; i < 12; i++) {
      String prompt = "Summarize, item " + i + ": " + SENTENCE.repeat(5 + i);
      int o200k = Tokens.countPrompt(List.of(user(prompt)));
      int text = Tokens.count(prompt);

      int counted = inputTokens(http.anthropic(AnthropicMessagesTest.message(MODEL, prompt, 50)));
      int again = inputTokens(http.anthropic(AnthropicMessagesTest.message(MODEL, prompt, 50)));

      assertThat(again).isEqualTo(counted);
      assertThat(counted - o200k).isBetween((int) (text * 0.10), (int) Math.ceil(text * 0.30));
      biasesInPercent.add((int) Math.round(100.0 * (counted - o200k) / text));
    }
    assertThat(biasesInPercent).hasSizeGreaterThan(3);
  }

  // (b) limits enforced over shorter windows

  @Test
  void shouldRefuseABurstThatTheMinuteBucketWouldTakeWhenEnforcedPerTenSeconds() {
    RawHttp http =
        start(
            "gpt-4o-mini",
            ModelLimits.openai(600, 60_000),
            Enforcement.EXACT.withWindow(Duration.ofSeconds(10)));
    List<Integer> statuses = new ArrayList<>();
    HttpResponse<String> last = null;
    for (int i = 0; i < 4; i++) {
      last = http.openAi(RawHttp.chat("gpt-4o-mini", "sum: " + i, 3_000));
      statuses.add(last.statusCode());
    }

    assertThat(statuses).containsExactly(200, 200, 200, 429);
    assertThat(last.headers().firstValue("x-ratelimit-limit-tokens")).hasValue("60000");
    assertThat(remaining(last, "x-ratelimit-remaining-tokens")).isLessThan(1_000);
    assertThat(last.headers().firstValue("x-ratelimit-reset-tokens").orElseThrow())
        .as("the 10 s window refills within 10 s")
        .matches("[0-9](\\.[0-9]+)?s");
    assertThat(remaining(last, "x-ratelimit-remaining-requests")).isEqualTo(97);

    clock.advance(Duration.ofSeconds(3));
    assertThat(http.openAi(RawHttp.chat("gpt-4o-mini", "sum: 9", 3_000)).statusCode())
        .isEqualTo(200);
  }

  @Test
  void shouldAdmitOneRequestPerSecondWhenSixtyRpmIsEnforcedPerSecond() {
    RawHttp http =
        start(
            MODEL,
            ModelLimits.anthropic(60, 1_000_000, 100_000),
            Enforcement.EXACT.withWindow(Duration.ofSeconds(1)));
    String body = AnthropicMessagesTest.message(MODEL, "reverse: abc", 10);

    HttpResponse<String> first = http.anthropic(body);
    HttpResponse<String> second = http.anthropic(body);

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(second.statusCode()).isEqualTo(429);
    assertThat(second.headers().firstValue("retry-after")).hasValue("1");
    assertThat(second.headers().firstValue("anthropic-ratelimit-requests-limit")).hasValue("60");
    assertThat(second.headers().firstValue("anthropic-ratelimit-requests-remaining")).hasValue("0");
    assertThat(second.headers().firstValue("anthropic-ratelimit-requests-reset"))
        .hasValue(T0.plusSeconds(1).toString());
    clock.advance(Duration.ofSeconds(1));
    assertThat(http.anthropic(body).statusCode()).isEqualTo(200);
  }

  // (c) a fixed-window counter per minute

  @Test
  void shouldResetAFixedMinuteWindowAtTheMinuteBoundaryNotGradually() {
    clock.set(T0.plusSeconds(50));
    RawHttp http =
        start("gpt-4o-mini", ModelLimits.openai(3, 1_000_000), Enforcement.EXACT.withFixedWindow());
    String body = RawHttp.chat("gpt-4o-mini", "reverse: abc", 10);
    for (int i = 0; i < 3; i++) {
      assertThat(http.openAi(body).statusCode()).isEqualTo(200);
    }

    HttpResponse<String> refused = http.openAi(body);
    clock.advance(Duration.ofSeconds(9));
    int refusedJustBefore = http.openAi(body).statusCode();
    clock.advance(Duration.ofSeconds(1));
    List<Integer> afterBoundary = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      afterBoundary.add(http.openAi(body).statusCode());
    }

    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.headers().firstValue("x-ratelimit-reset-requests")).hasValue("10s");
    assertThat(refused.headers().firstValue("retry-after")).hasValue("10");
    assertThat(refusedJustBefore).isEqualTo(429);
    assertThat(afterBoundary).containsExactly(200, 200, 200, 429);
  }

  // (d) refused calls still count

  @Test
  void shouldChargeARefusedCallAgainstTheLimitSoWaitingTheUsualTimeIsNotEnough() {
    RawHttp http =
        start(
            "gpt-4o-mini",
            ModelLimits.openai(1_000, 1_000),
            Enforcement.EXACT.withRefusedCallsCharged());
    String body = RawHttp.chat("gpt-4o-mini", "reverse: abc", 600);

    HttpResponse<String> first = http.openAi(body);
    long before = remaining(first, "x-ratelimit-remaining-tokens");
    HttpResponse<String> refused = http.openAi(body);
    clock.advance(Duration.ofSeconds(40));
    HttpResponse<String> afterForty = http.openAi(body);

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(before).isBetween(350L, 400L);
    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(remaining(refused, "x-ratelimit-remaining-tokens")).isZero();
    assertThat(remaining(refused, "x-ratelimit-remaining-requests")).isEqualTo(998);
    assertThat(afterForty.statusCode())
        .as("40 s refill 666 tokens, but the 429 cost 610")
        .isEqualTo(429);
  }

  // (e) latency with a heavy tail

  @Test
  void shouldSpreadLatencyLogNormallySoSomeCallsTakeManyTimesTheMedian() {
    LatencySettings latency =
        new LatencySettings(Duration.ofMillis(10), Duration.ZERO).withSpread(1.0);
    Simulator simulator =
        startSimulator("gpt-4o-mini", ModelLimits.unlimited(), Enforcement.EXACT, latency);
    RawHttp http = new RawHttp(simulator.baseUrl());
    String slowPrompt = null;
    Duration slowest = Duration.ZERO;
    for (int i = 0; i < 200; i++) {
      String prompt = "sum: " + i;
      Duration expected = latency.forCall(1, seedOf("gpt-4o-mini", prompt));
      if (expected.compareTo(slowest) > 0) {
        slowest = expected;
        slowPrompt = prompt;
      }
    }

    long started = System.nanoTime();
    HttpResponse<String> slow = http.openAi(RawHttp.chat("gpt-4o-mini", slowPrompt, 10));
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertThat(slow.statusCode()).isEqualTo(200);
    assertThat(slowest).isGreaterThan(Duration.ofMillis(50));
    assertThat(took).isGreaterThanOrEqualTo(slowest);
  }

  // (f) output lengths drawn up to max_tokens

  @Test
  void shouldDrawFreeTextOutputsUpToMaxTokensSoTheOutputLimitBinds() {
    Simulator simulator =
        startSimulator(
            MODEL,
            ModelLimits.anthropic(1_000, 1_000_000, 1_000_000),
            Enforcement.EXACT.withOutputLengths(0.3, 1.2),
            LatencySettings.NONE);
    AnthropicClient client = anthropic(simulator);
    try {
      List<Long> outputs = new ArrayList<>();
      int cut = 0;
      for (int i = 0; i < 30; i++) {
        Message message = client.messages().create(params("Write about topic " + i, 500));
        outputs.add(message.usage().outputTokens());
        if (message.stopReason().orElseThrow() == StopReason.MAX_TOKENS) {
          cut++;
        }
      }
      Message reversed = client.messages().create(params("reverse: abc", 500));

      assertThat(outputs).allSatisfy(tokens -> assertThat(tokens).isBetween(150L, 500L));
      assertThat(outputs.stream().distinct().count()).isGreaterThan(20);
      assertThat(cut).isBetween(1, 20);
      assertThat(reversed.content().get(0).asText().text()).isEqualTo("cba");
      assertThat(simulator.meter().snapshot().total(MODEL).outputTokens()).isGreaterThan(30 * 150L);
    } finally {
      client.close();
    }
  }

  @Test
  void shouldChargeTheDrawnOutputAgainstAnthropicsOutputTokenLimit() {
    RawHttp http =
        start(
            MODEL,
            ModelLimits.anthropic(1_000, 1_000_000, 2_000),
            Enforcement.EXACT.withOutputLengths(0.9, 1.0));
    List<Integer> statuses = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      statuses.add(
          http.anthropic(AnthropicMessagesTest.message(MODEL, "Write about topic " + i, 600))
              .statusCode());
    }

    assertThat(statuses).containsExactly(200, 200, 200, 429, 429);
  }

  // (g) another client on the same account

  @Test
  void shouldLeaveLessOfTheRefillWhenAnotherClientUsesThirtyPercentOfTheAccount() {
    RawHttp exact = start("gpt-4o-mini", ModelLimits.openai(10_000, 60_000), Enforcement.EXACT);
    RawHttp shared =
        start(
            "gpt-4o-mini",
            ModelLimits.openai(10_000, 60_000),
            Enforcement.EXACT.withOtherClient(0.3));
    String drain = RawHttp.chat("gpt-4o-mini", "sum: 1", 59_000);
    String small = RawHttp.chat("gpt-4o-mini", "sum: 2", 10);

    assertThat(exact.openAi(drain).statusCode()).isEqualTo(200);
    assertThat(shared.openAi(drain).statusCode()).isEqualTo(200);
    clock.advance(Duration.ofSeconds(20));
    long exactLeft = remaining(exact.openAi(small), "x-ratelimit-remaining-tokens");
    long sharedLeft = remaining(shared.openAi(small), "x-ratelimit-remaining-tokens");

    assertThat(exactLeft).isBetween(20_900L, 21_000L);
    assertThat(sharedLeft).isBetween(exactLeft - 20_000 * 45 / 100, exactLeft - 20_000 * 15 / 100);
    assertThat(sharedLeft)
        .as("seeded: the same run again sees the same headers")
        .isEqualTo(replayOtherClient());
  }

  private long replayOtherClient() {
    ManualClock replay = new ManualClock(T0);
    try (Simulator simulator =
        Simulator.start(
            SimulatorConfig.builder()
                .clock(replay)
                .latency(LatencySettings.NONE)
                .limits("gpt-4o-mini", ModelLimits.openai(10_000, 60_000))
                .enforcement(Enforcement.EXACT.withOtherClient(0.3))
                .build())) {
      RawHttp http = new RawHttp(simulator.baseUrl());
      http.openAi(RawHttp.chat("gpt-4o-mini", "sum: 1", 59_000));
      replay.advance(Duration.ofSeconds(20));
      return remaining(
          http.openAi(RawHttp.chat("gpt-4o-mini", "sum: 2", 10)), "x-ratelimit-remaining-tokens");
    }
  }

  @Test
  void shouldRefuseACallThatTheRefillWouldCoverIfNoOtherClientUsedHalfTheAccount() {
    RawHttp exact = start(MODEL, ModelLimits.anthropic(1_000, 6_000, 60_000), Enforcement.EXACT);
    RawHttp shared =
        start(
            MODEL,
            ModelLimits.anthropic(1_000, 6_000, 60_000),
            Enforcement.EXACT.withOtherClient(0.5));
    int sentence = Tokens.count(SENTENCE);
    String drain = AnthropicMessagesTest.message(MODEL, SENTENCE.repeat(5_800 / sentence), 10);
    String next = AnthropicMessagesTest.message(MODEL, SENTENCE.repeat(2_400 / sentence), 10);

    assertThat(exact.anthropic(drain).statusCode()).isEqualTo(200);
    assertThat(shared.anthropic(drain).statusCode()).isEqualTo(200);
    clock.advance(Duration.ofSeconds(30));
    HttpResponse<String> exactNext = exact.anthropic(next);
    HttpResponse<String> sharedNext = shared.anthropic(next);

    assertThat(exactNext.statusCode()).isEqualTo(200);
    assertThat(sharedNext.statusCode()).isEqualTo(429);
    assertThat(remaining(sharedNext, "anthropic-ratelimit-input-tokens-remaining"))
        .isLessThanOrEqualTo(2_000L);
  }

  private static AnthropicClient anthropic(Simulator simulator) {
    return AnthropicOkHttpClient.builder()
        .apiKey("sk-ant-test")
        .baseUrl(simulator.baseUrl().toString())
        .maxRetries(0)
        .responseValidation(true)
        .build();
  }

  private static MessageCreateParams params(String prompt, long maxTokens) {
    return MessageCreateParams.builder()
        .model(MODEL)
        .maxTokens(maxTokens)
        .addUserMessage(prompt)
        .build();
  }

  private static PromptMessage user(String text) {
    return new PromptMessage("user", text);
  }

  private static long seedOf(String model, String prompt) {
    ChatRequest call = new ChatRequest(model, List.of(user(prompt)), prompt, 10, null, false, 0);
    return io.sluice.simulator.internal.answer.Answerer.seedOf(call.seedText());
  }

  private static int inputTokens(HttpResponse<String> response) {
    JsonNode usage = RawHttp.json(response.body()).path("usage");
    return usage.path("input_tokens").asInt();
  }

  private static long remaining(HttpResponse<String> response, String header) {
    return Long.parseLong(response.headers().firstValue(header).orElseThrow());
  }
}
