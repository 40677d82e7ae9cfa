package io.sluice.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.BadRequestException;
import com.anthropic.errors.RateLimitException;
import com.anthropic.models.ErrorType;
import com.anthropic.models.messages.batches.BatchCreateParams;
import com.anthropic.models.messages.batches.MessageBatch;
import com.anthropic.models.messages.batches.MessageBatchIndividualResponse;
import com.anthropic.models.messages.batches.MessageBatchResult;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Message Batches through the official Anthropic SDK (retries off, strict validation). */
class AnthropicBatchSdkContractTest {
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private final ManualClock clock = new ManualClock(T0);
  private Simulator simulator;
  private AnthropicClient client;

  private void start(BatchSettings batches) {
    start(batches, BatchQueueLimits.NONE);
  }

  private void start(BatchSettings batches, BatchQueueLimits limits) {
    simulator =
        Simulator.start(
            SimulatorConfig.builder()
                .clock(clock)
                .latency(LatencySettings.NONE)
                .batches(batches)
                .batchLimits(limits)
                .build());
    client =
        AnthropicOkHttpClient.builder()
            .apiKey("sk-ant-test")
            .baseUrl(simulator.baseUrl().toString())
            .maxRetries(0)
            .responseValidation(true)
            .build();
  }

  @AfterEach
  void stop() {
    client.close();
    simulator.close();
  }

  @Test
  void shouldRunAMessageBatchToResults() {
    start(BatchSettings.DEFAULT);
    MessageBatch created =
        create(
            request("a", "claude-sonnet-4-5", "reverse: abc"),
            request("b", "claude-sonnet-4-5", "uppercase: hi"),
            request("c", "no-such-model", "reverse: x"),
            request("d", "claude-haiku-4-5", "#sim error=500\nreverse: x"));

    clock.advance(Duration.ofMillis(600));
    MessageBatch running = client.messages().batches().retrieve(created.id());
    clock.advance(Duration.ofSeconds(1));
    MessageBatch ended = client.messages().batches().retrieve(created.id());
    Map<String, MessageBatchResult> results = results(created.id());

    assertThat(created.processingStatus()).isEqualTo(MessageBatch.ProcessingStatus.IN_PROGRESS);
    assertThat(created.requestCounts().processing()).isEqualTo(4);
    assertThat(created.expiresAt().toInstant()).isEqualTo(T0.plus(Duration.ofHours(24)));
    assertThat(created.resultsUrl()).isEmpty();
    assertThat(running.processingStatus()).isEqualTo(MessageBatch.ProcessingStatus.IN_PROGRESS);
    assertThat(ended.processingStatus()).isEqualTo(MessageBatch.ProcessingStatus.ENDED);
    assertThat(ended.endedAt()).isPresent();
    assertThat(ended.resultsUrl())
        .hasValueSatisfying(url -> assertThat(url).endsWith(created.id() + "/results"));
    assertThat(ended.requestCounts().succeeded()).isEqualTo(2);
    assertThat(ended.requestCounts().errored()).isEqualTo(2);
    assertThat(ended.requestCounts().processing()).isZero();

    assertThat(results.keySet()).containsExactlyInAnyOrder("a", "b", "c", "d");
    assertThat(text(results.get("a"))).isEqualTo("cba");
    assertThat(text(results.get("b"))).isEqualTo("HI");
    assertThat(results.get("c").asErrored().error().error().isNotFoundError()).isTrue();
    assertThat(results.get("d").asErrored().error().error().isApiError()).isTrue();
  }

  @Test
  void shouldCancelAMessageBatch() {
    start(BatchSettings.DEFAULT.withProcessingTime(Duration.ofSeconds(10)));
    MessageBatch created =
        create(
            request("a", "claude-haiku-4-5", "sum: 1"), request("b", "claude-haiku-4-5", "sum: 2"));
    clock.advance(Duration.ofSeconds(6));

    MessageBatch canceling = client.messages().batches().cancel(created.id());
    clock.advance(Duration.ofSeconds(1));
    MessageBatch ended = client.messages().batches().retrieve(created.id());
    Map<String, MessageBatchResult> results = results(created.id());

    assertThat(canceling.processingStatus()).isEqualTo(MessageBatch.ProcessingStatus.CANCELING);
    assertThat(canceling.cancelInitiatedAt()).isPresent();
    assertThat(ended.processingStatus()).isEqualTo(MessageBatch.ProcessingStatus.ENDED);
    assertThat(ended.requestCounts().succeeded()).isEqualTo(1);
    assertThat(ended.requestCounts().canceled()).isEqualTo(1);
    assertThat(results.values()).filteredOn(MessageBatchResult::isCanceled).hasSize(1);
    assertThat(results.values()).filteredOn(MessageBatchResult::isSucceeded).hasSize(1);
  }

  @Test
  void shouldExpireUnfinishedRequests() {
    start(
        BatchSettings.DEFAULT
            .withProcessingTime(Duration.ofHours(30))
            .withCompletionWindow(Duration.ofHours(24)));
    MessageBatch created =
        create(
            request("a", "claude-haiku-4-5", "sum: 1"),
            request("b", "claude-haiku-4-5", "sum: 2"),
            request("c", "claude-haiku-4-5", "sum: 3"),
            request("d", "claude-haiku-4-5", "sum: 4"),
            request("e", "claude-haiku-4-5", "sum: 5"));

    clock.advance(Duration.ofHours(24));
    MessageBatch ended = client.messages().batches().retrieve(created.id());
    Map<String, MessageBatchResult> results = results(created.id());

    assertThat(ended.processingStatus()).isEqualTo(MessageBatch.ProcessingStatus.ENDED);
    assertThat(ended.requestCounts().succeeded()).isEqualTo(3);
    assertThat(ended.requestCounts().expired()).isEqualTo(2);
    assertThat(results.values()).filteredOn(MessageBatchResult::isExpired).hasSize(2);
  }

  @Test
  void shouldRejectDuplicateCustomIdsAndListBatches() {
    start(BatchSettings.DEFAULT);
    MessageBatch first = create(request("a", "claude-haiku-4-5", "sum: 1"));

    assertThatThrownBy(
            () ->
                create(
                    request("x", "claude-haiku-4-5", "a"), request("x", "claude-haiku-4-5", "b")))
        .isInstanceOf(BadRequestException.class)
        .hasMessageContaining("duplicate custom_id");
    List<String> ids =
        client.messages().batches().list().data().stream().map(MessageBatch::id).toList();
    assertThat(ids).containsExactly(first.id());
  }

  @Test
  void shouldGiveTheSdkARateLimitExceptionWhenTheQueueIsFull() {
    start(BatchSettings.DEFAULT, BatchQueueLimits.NONE.withQueuedRequests(2));
    create(request("a", "claude-haiku-4-5", "sum: 1"), request("b", "claude-haiku-4-5", "sum: 2"));

    RateLimitException e =
        catchThrowableOfType(
            RateLimitException.class, () -> create(request("c", "claude-haiku-4-5", "sum: 3")));
    clock.advance(Duration.ofSeconds(2));

    assertThat(e.statusCode()).isEqualTo(429);
    assertThat(e.type()).hasValue(ErrorType.RATE_LIMIT_ERROR);
    assertThat(e.headers().values("retry-after")).containsExactly("1");
    assertThat(e.requestId()).isPresent();
    assertThat(create(request("c", "claude-haiku-4-5", "sum: 3")).processingStatus())
        .isEqualTo(MessageBatch.ProcessingStatus.IN_PROGRESS);
  }

  private MessageBatch create(BatchCreateParams.Request... requests) {
    return client
        .messages()
        .batches()
        .create(BatchCreateParams.builder().requests(List.of(requests)).build());
  }

  private static BatchCreateParams.Request request(String id, String model, String prompt) {
    return BatchCreateParams.Request.builder()
        .customId(id)
        .params(
            BatchCreateParams.Request.Params.builder()
                .model(model)
                .maxTokens(64)
                .addUserMessage(prompt)
                .build())
        .build();
  }

  private Map<String, MessageBatchResult> results(String batchId) {
    Map<String, MessageBatchResult> byId = new HashMap<>();
    try (StreamResponse<MessageBatchIndividualResponse> stream =
        client.messages().batches().resultsStreaming(batchId)) {
      stream.stream().forEach(r -> byId.put(r.customId(), r.validate().result()));
    }
    return byId;
  }

  private static String text(MessageBatchResult result) {
    return result.asSucceeded().message().content().getFirst().asText().text();
  }
}
