package io.sluice.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The profile's batch limits on the wire: OpenAI's enqueued tokens and creations, Anthropic's
 * queue.
 */
class BatchQueueLimitsTest {
  private static final String MINI = "gpt-4o-mini";
  private final ManualClock clock = new ManualClock(Instant.parse("2026-03-01T10:00:00Z"));
  private Simulator simulator;
  private BatchWire wire;

  private void start(BatchQueueLimits limits, BatchSettings batches) {
    simulator =
        Simulator.start(
            SimulatorConfig.builder()
                .clock(clock)
                .latency(LatencySettings.NONE)
                .batches(batches)
                .batchLimits(limits)
                .build());
    wire = new BatchWire(simulator);
  }

  @AfterEach
  void stop() {
    simulator.close();
  }

  @Test
  void shouldFailABatchPastItsModelsEnqueuedTokensInValidationWithOpenAisError() {
    start(BatchQueueLimits.NONE.withEnqueuedTokens(MINI, 1_000), BatchSettings.DEFAULT);
    JsonNode first = wire.openAiBatch(MINI, 50);
    JsonNode second = wire.openAiBatch(MINI, 60);

    clock.advance(Duration.ofMillis(200));
    JsonNode failed = wire.openAiStatus(second.path("id").asText());

    assertThat(second.path("status").asText()).isEqualTo("validating");
    assertThat(failed.path("status").asText()).isEqualTo("failed");
    assertThat(failed.path("errors"))
        .isEqualTo(
            RawHttp.json(
                """
                {"object":"list","data":[{"code":"token_limit_exceeded","message":"Enqueued token \
                limit reached for gpt-4o-mini in organization org-sluice-simulator: Limit: 1000 \
                enqueued tokens. Please try again once some in_progress batches have been \
                completed.","param":null,"line":null}]}"""));
    assertThat(failed.path("failed_at").asLong()).isPositive();
    assertThat(failed.path("in_progress_at").isNull()).isTrue();
    assertThat(failed.path("request_counts").path("completed").asInt()).isZero();
    assertThat(failed.path("usage").path("input_tokens").asLong()).isZero();
    assertThat(failed.path("output_file_id").isNull()).isTrue();
    assertThat(failed.path("error_file_id").isNull()).isTrue();

    clock.advance(Duration.ofSeconds(2));
    JsonNode completed = wire.openAiStatus(first.path("id").asText());
    BatchQueueRow queue = simulator.meter().snapshot().batchQueue("openai", MINI);
    assertThat(completed.path("status").asText()).isEqualTo("completed");
    assertThat(queue.batchesCreated()).isEqualTo(2);
    assertThat(queue.queueRefusals()).isEqualTo(1);
    assertThat(queue.peakEnqueuedTokens())
        .isEqualTo(completed.path("usage").path("input_tokens").asLong())
        .isLessThanOrEqualTo(1_000);
    assertThat(queue.peakQueuedRequests()).isEqualTo(50);
  }

  @Test
  void shouldHoldEnqueuedTokensUntilTheBatchHasFinalizedAndPerModel() {
    start(
        BatchQueueLimits.NONE.withEnqueuedTokens(MINI, 1_000).withDefaultEnqueuedTokens(1_000),
        BatchSettings.DEFAULT);
    wire.openAiBatch(MINI, 50);
    JsonNode otherModel = wire.openAiBatch("gpt-4o", 60);

    clock.advance(Duration.ofMillis(1150));
    JsonNode whileFinalizing = wire.openAiBatch(MINI, 60);
    clock.advance(Duration.ofMillis(100));
    JsonNode afterCompletion = wire.openAiBatch(MINI, 60);
    clock.advance(Duration.ofMillis(200));

    assertThat(wire.openAiStatus(otherModel.path("id").asText()).path("status").asText())
        .isNotEqualTo("failed");
    assertThat(wire.openAiStatus(whileFinalizing.path("id").asText()).path("status").asText())
        .isEqualTo("failed");
    assertThat(wire.openAiStatus(afterCompletion.path("id").asText()).path("status").asText())
        .isEqualTo("in_progress");
  }

  @Test
  void shouldAnswer429PastTheBatchCreationsPerHourWithRetryHeaders() {
    start(BatchQueueLimits.NONE.withBatchCreationsPerHour(3), BatchSettings.DEFAULT);
    for (int i = 0; i < 3; i++) {
      wire.openAiBatch(MINI, 1);
      clock.advance(Duration.ofMinutes(10));
    }

    HttpResponse<String> refused = wire.createOpenAi(wire.upload(MINI, 1));
    clock.advance(Duration.ofMinutes(30));
    HttpResponse<String> later = wire.createOpenAi(wire.upload(MINI, 1));

    JsonNode error = RawHttp.json(refused.body()).path("error");
    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(error.path("code").asText()).isEqualTo("rate_limit_exceeded");
    assertThat(error.path("type").asText()).isEqualTo("requests");
    assertThat(error.path("message").asText())
        .contains("batch creations")
        .contains("Limit 3 per 1h");
    assertThat(refused.headers().firstValue("retry-after")).hasValue("1800");
    assertThat(refused.headers().firstValue("retry-after-ms")).hasValue("1800000");
    assertThat(refused.headers().firstValue("x-request-id")).isPresent();
    assertThat(later.statusCode()).isEqualTo(200);
    BatchQueueRow account =
        simulator.meter().snapshot().batchQueue("openai", BatchQueueRow.ACCOUNT);
    assertThat(account.creationRefusals()).isEqualTo(1);
    assertThat(account.batchesCreated()).isEqualTo(4);
  }

  @Test
  void shouldAnswer429WhenAnthropicsQueueWouldOverflowUntilEnoughRequestsAreDone() {
    start(
        BatchQueueLimits.NONE.withQueuedRequests(10),
        BatchSettings.DEFAULT.withProcessingTime(Duration.ofSeconds(10)));
    HttpResponse<String> first = wire.createAnthropic("claude-haiku-4-5", 8);

    HttpResponse<String> refused = wire.createAnthropic("claude-haiku-4-5", 5);
    clock.advance(Duration.ofSeconds(4));
    HttpResponse<String> accepted = wire.createAnthropic("claude-haiku-4-5", 5);

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(refused.statusCode()).isEqualTo(429);
    JsonNode body = RawHttp.json(refused.body());
    assertThat(body.path("type").asText()).isEqualTo("error");
    assertThat(body.path("error").path("type").asText()).isEqualTo("rate_limit_error");
    assertThat(body.path("error").path("message").asText())
        .contains("limit of 10 batch requests in the processing queue");
    // 8 requests over 10 s after 100 ms of validation: the 3rd is done at 3.85 s
    assertThat(refused.headers().firstValue("retry-after")).hasValue("4");
    assertThat(refused.headers().firstValue("request-id")).isPresent();
    assertThat(accepted.statusCode()).as(accepted.body()).isEqualTo(200);
    BatchQueueRow account =
        simulator.meter().snapshot().batchQueue("anthropic", BatchQueueRow.ACCOUNT);
    assertThat(account.batchesCreated()).isEqualTo(2);
    assertThat(account.queueRefusals()).isEqualTo(1);
    assertThat(account.peakQueuedRequests()).isEqualTo(10);
    assertThat(
            simulator.meter().snapshot().batchQueue("anthropic", "claude-haiku-4-5").linesCreated())
        .isEqualTo(13);
  }

  @Test
  void shouldLimitNothingWithoutConfiguredLimitsButStillMeterThePeaks() {
    start(BatchQueueLimits.NONE, BatchSettings.DEFAULT);
    for (int i = 0; i < 5; i++) {
      wire.openAiBatch(MINI, 200);
    }
    clock.advance(Duration.ofMillis(200));

    BatchQueueRow queue = simulator.meter().snapshot().batchQueue("openai", MINI);
    assertThat(queue.batchesCreated()).isEqualTo(5);
    assertThat(queue.queueRefusals()).isZero();
    assertThat(queue.peakQueuedRequests()).isEqualTo(1_000);
    assertThat(queue.peakEnqueuedTokens()).isGreaterThan(5_000);
  }

  @Test
  void shouldShowTheBatchQueuesInTheMeterJson() {
    start(BatchQueueLimits.NONE, BatchSettings.DEFAULT);
    wire.openAiBatch(MINI, 2);

    JsonNode meter =
        RawHttp.json(
            new RawHttp(simulator.baseUrl()).get("/_sim/meter", java.util.Map.of()).body());

    assertThat(meter.path("batch_queues").findValuesAsText("model")).contains(MINI, "*");
    assertThat(meter.path("batch_queues").get(0).has("peak_enqueued_tokens")).isTrue();
  }
}
