package io.sluice.providers.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.providers.CompletionResponse;
import io.sluice.providers.Provider;
import io.sluice.providers.ProviderConfig;
import io.sluice.providers.ProviderException;
import io.sluice.providers.ProviderFactory;
import io.sluice.providers.RateLimitSnapshot;
import io.sluice.providers.pricing.PriceTable;
import io.sluice.schemas.job.ChatMessage;
import io.sluice.schemas.job.CompletionSpec;
import io.sluice.schemas.job.TokenUsage;
import io.sluice.schemas.json.Json;
import io.sluice.simulator.LatencySettings;
import io.sluice.simulator.MeterRow;
import io.sluice.simulator.Simulator;
import io.sluice.simulator.SimulatorConfig;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The one contract every realtime adapter must keep, run against the simulator: answers, usage,
 * cost, rate-limit headers, retry hints and every failure class.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ProviderContractTest {
  static final String API_KEY = "sk-sim-contract-0123456789abcdef";

  Simulator simulator;
  Provider provider;
  final PriceTable prices = PriceTable.defaults();

  /** The adapter's configuration for a simulator at this base URL. */
  abstract ProviderConfig config(URI simulatorBaseUrl, String apiKey);

  /** A model the simulator's {@code tier1} profile limits and the price table lists. */
  abstract String model();

  /** The status this provider uses for overload. */
  abstract int overloadStatus();

  /** Checks the rate-limit headers the simulator sent for {@link #model()}. */
  abstract void assertRateLimits(RateLimitSnapshot snapshot);

  /** The status a wrong API key gets: 401, except Gemini's 400 {@code API_KEY_INVALID}. */
  int wrongKeyStatus() {
    return 401;
  }

  @BeforeAll
  void startSimulator() {
    simulator =
        Simulator.start(
            SimulatorConfig.builder()
                .profile("tier1")
                .latency(LatencySettings.NONE)
                .apiKey(API_KEY)
                .build());
    provider = new ProviderFactory().realtime(config(simulator.baseUrl(), API_KEY));
  }

  @AfterAll
  void stopSimulator() {
    provider.close();
    simulator.close();
  }

  CompletionSpec call(String prompt) {
    return new CompletionSpec(model(), List.of(ChatMessage.user(prompt)), 50, null, null);
  }

  ProviderException failure(String prompt) {
    return catchThrowableOfType(ProviderException.class, () -> provider.complete(call(prompt)));
  }

  @Test
  void shouldAnswerWithOutputUsageAndRequestId() {
    CompletionResponse response = provider.complete(call("reverse: sluice"));

    assertThat(response.output()).isEqualTo("eciuls");
    assertThat(response.usage().inputTokens()).isPositive();
    assertThat(response.usage().outputTokens()).isPositive();
    assertThat(response.model()).startsWith(model());
    assertThat(response.requestId()).isNotBlank();
  }

  @Test
  void shouldPassSystemMessagesAndTheLastUserMessage() {
    CompletionSpec spec =
        new CompletionSpec(
            model(),
            List.of(ChatMessage.system("You add numbers."), ChatMessage.user("sum: 1 2 3 40")),
            50,
            0.0,
            null);
    assertThat(provider.complete(spec).output()).isEqualTo("46");
  }

  @Test
  void shouldReturnJsonThatFollowsTheResponseSchema() throws IOException {
    JsonNode schema =
        Json.mapper()
            .readTree(
                """
                {"type":"object","properties":{"total":{"type":"integer"},"label":{"type":"string"}},
                 "required":["total","label"],"additionalProperties":false}
                """);
    CompletionSpec spec =
        new CompletionSpec(model(), List.of(ChatMessage.user("extract")), 200, null, schema);

    JsonNode output = Json.mapper().readTree(provider.complete(spec).output());

    assertThat(output.path("total").isIntegralNumber()).isTrue();
    assertThat(output.path("label").isTextual()).isTrue();
  }

  @Test
  void shouldReportRateLimitHeaders() {
    assertRateLimits(provider.complete(call("uppercase: limits")).rateLimits());
  }

  @Test
  void shouldPriceActualUsageAtRealtimeAndBatchRates() {
    CompletionResponse response = provider.complete(call("uppercase: what does this cost"));
    TokenUsage usage = response.usage();
    var price = prices.price(model()).orElseThrow();
    BigDecimal expected =
        price
            .inputPerMillion()
            .multiply(BigDecimal.valueOf(usage.inputTokens()))
            .add(price.outputPerMillion().multiply(BigDecimal.valueOf(usage.outputTokens())))
            .divide(BigDecimal.valueOf(1_000_000));

    assertThat(prices.realtimeCost(response.model(), usage)).isEqualByComparingTo(expected);
    assertThat(prices.batchCost(response.model(), usage))
        .isEqualByComparingTo(expected.divide(BigDecimal.valueOf(2)));
  }

  @ParameterizedTest(name = "HTTP {0} is permanent")
  @ValueSource(ints = {400, 401, 403, 404, 413, 422})
  void shouldClassifyClientErrorsAsPermanentKeepingTheProviderMessage(int status) {
    ProviderException e = failure("#sim error=" + status + "\nhello");

    assertThat(e.kind()).isEqualTo(ProviderException.Kind.PERMANENT);
    assertThat(e.httpStatus()).isEqualTo(status);
    assertThat(e.errorCode()).isNotBlank();
    assertThat(e.getMessage()).contains("asked to fail this request with HTTP " + status);
    assertThat(e.provider()).isEqualTo(provider.name());
  }

  @ParameterizedTest(name = "HTTP {0} is retriable")
  @ValueSource(ints = {408, 409, 429, 500, 502, 503, 504})
  void shouldClassifyTransientErrorsAsRetriable(int status) {
    ProviderException e = failure("#sim error=" + status + "\nhello");

    assertThat(e.isRetriable()).isTrue();
    assertThat(e.httpStatus()).isEqualTo(status);
  }

  @Test
  void shouldClassifyOverloadAsRetriable() {
    ProviderException e = failure("#sim error=" + overloadStatus() + "\nhello");

    assertThat(e.isRetriable()).isTrue();
    assertThat(e.httpStatus()).isEqualTo(overloadStatus());
    assertThat(e.getMessage()).contains("overloaded");
  }

  @Test
  void shouldReadRetryAfterMilliseconds() {
    ProviderException e = failure("#sim error=429 retry-after-ms=1500\nhello");
    assertThat(e.retryAfter()).contains(Duration.ofMillis(1500));
    assertThat(e.isRateLimited()).isTrue();
  }

  @Test
  void shouldReadRetryAfterSeconds() {
    assertThat(failure("#sim error=503 retry-after=7\nhello").retryAfter())
        .contains(Duration.ofSeconds(7));
  }

  @Test
  void shouldReadRetryAfterAsHttpDate() {
    Duration wait = failure("#sim error=429 retry-after-date=30\nhello").retryAfter().orElseThrow();
    assertThat(wait).isBetween(Duration.ofSeconds(27), Duration.ofSeconds(31));
  }

  @Test
  void shouldTimeOutAHangingCallAtTheRequestTimeout() {
    try (Provider impatient = impatientProvider()) {
      long started = System.nanoTime();
      ProviderException e =
          catchThrowableOfType(
              ProviderException.class, () -> impatient.complete(call("#sim hang=5000\nhello")));
      Duration took = Duration.ofNanos(System.nanoTime() - started);

      assertThat(e.isRetriable()).isTrue();
      assertThat(e.errorCode()).isEqualTo("timeout");
      assertThat(e.httpStatus()).isZero();
      assertThat(took).isLessThan(Duration.ofMillis(2500));
    }
  }

  @Test
  void shouldTreatAMalformedBodyAsRetriable() {
    ProviderException e = failure("#sim malformed\nhello");
    assertThat(e.isRetriable()).isTrue();
    assertThat(e.errorCode()).isEqualTo("malformed_response");
    assertThat(e.httpStatus()).isEqualTo(200);
  }

  /**
   * The simulator cuts the body short and leaves the connection open, so the exchange ends at the
   * request timeout; a server that closes the connection gives {@code connection_failed} at once.
   */
  @Test
  void shouldTreatATruncatedBodyAsRetriable() {
    try (Provider impatient = impatientProvider()) {
      ProviderException e =
          catchThrowableOfType(
              ProviderException.class, () -> impatient.complete(call("#sim truncated\nhello")));
      assertThat(e.isRetriable()).isTrue();
      assertThat(e.errorCode()).isIn("malformed_response", "connection_failed", "timeout");
    }
  }

  @Test
  void shouldTreatAConnectionResetAsRetriable() {
    ProviderException e = failure("#sim reset\nhello");
    assertThat(e.isRetriable()).isTrue();
    assertThat(e.errorCode()).isEqualTo("connection_failed");
    assertThat(e.httpStatus()).isZero();
  }

  @Test
  void shouldTreatARefusedConnectionAsRetriable() throws IOException {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }
    try (Provider nowhere =
        new ProviderFactory()
            .realtime(config(URI.create("http://127.0.0.1:" + closedPort), API_KEY))) {
      ProviderException e =
          catchThrowableOfType(ProviderException.class, () -> nowhere.complete(call("hello")));
      assertThat(e.isRetriable()).isTrue();
      assertThat(e.errorCode()).isEqualTo("connection_failed");
    }
  }

  @Test
  void shouldNeverRetryOnItsOwn() {
    String prompt = "#sim error=503 fail-first=1\nreverse: once " + getClass().getSimpleName();
    MeterRow before = simulator.meter().snapshot().total(model());

    assertThatThrownBy(() -> provider.complete(call(prompt))).isInstanceOf(ProviderException.class);
    MeterRow afterFailure = simulator.meter().snapshot().total(model());
    assertThat(afterFailure.errors() - before.errors()).isEqualTo(1);
    assertThat(afterFailure.requests()).isEqualTo(before.requests());

    assertThat(provider.complete(call(prompt)).output()).endsWith(" ecno");
  }

  @Test
  void shouldRejectAWrongApiKeyPermanentlyWithoutShowingIt() {
    String wrongKey = "sk-wrong-key-must-not-leak-42";
    try (Provider wrong = new ProviderFactory().realtime(config(simulator.baseUrl(), wrongKey))) {
      ProviderException e =
          catchThrowableOfType(ProviderException.class, () -> wrong.complete(call("hello")));

      assertThat(e.kind()).isEqualTo(ProviderException.Kind.PERMANENT);
      assertThat(e.httpStatus()).isEqualTo(wrongKeyStatus());
      assertThat(e.getMessage()).doesNotContain(wrongKey);
      assertThat(String.valueOf(e.getCause())).doesNotContain(wrongKey);
    }
  }

  @Test
  void shouldRejectAnUnknownModelPermanently() {
    CompletionSpec unknown =
        new CompletionSpec("no-such-model", List.of(ChatMessage.user("hi")), 10, null, null);
    ProviderException e =
        catchThrowableOfType(ProviderException.class, () -> provider.complete(unknown));
    assertThat(e.kind()).isEqualTo(ProviderException.Kind.PERMANENT);
    assertThat(e.httpStatus()).isEqualTo(404);
  }

  /** A provider with a 500 ms request timeout. */
  Provider impatientProvider() {
    return new ProviderFactory()
        .realtime(
            config(simulator.baseUrl(), API_KEY)
                .withTimeouts(Duration.ofSeconds(2), Duration.ofMillis(500)));
  }
}
