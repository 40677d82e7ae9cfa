package io.sluice.providers.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.sluice.providers.BatchItemResult;
import io.sluice.providers.BatchItemStatus;
import io.sluice.providers.BatchLimits;
import io.sluice.providers.BatchProvider;
import io.sluice.providers.BatchRejectedException;
import io.sluice.providers.BatchRequest;
import io.sluice.providers.BatchState;
import io.sluice.providers.BatchStatus;
import io.sluice.providers.ProviderConfig;
import io.sluice.providers.ProviderException;
import io.sluice.providers.ProviderFactory;
import io.sluice.providers.pricing.PriceTable;
import io.sluice.schemas.job.ChatMessage;
import io.sluice.schemas.job.CompletionSpec;
import io.sluice.schemas.job.TokenUsage;
import io.sluice.simulator.BatchSettings;
import io.sluice.simulator.LatencySettings;
import io.sluice.simulator.ManualClock;
import io.sluice.simulator.Simulator;
import io.sluice.simulator.SimulatorConfig;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The one contract every batch adapter must keep, run against the simulator with a manual clock: a
 * batch completes and every {@code custom_id} gets its result, including partial failure, expiry
 * and cancellation; oversize input is refused before anything is sent.
 */
abstract class BatchProviderContractTest {
  static final String API_KEY = "sk-sim-batch-0123456789abcdef";

  final ManualClock clock = new ManualClock(Instant.parse("2026-03-01T00:00:00Z"));
  Simulator simulator;
  BatchProvider batches;

  /** The adapter's configuration for a simulator at this base URL. */
  abstract ProviderConfig config(URI simulatorBaseUrl);

  /** A model the price table lists. */
  abstract String model();

  /** The state an expired batch ends in. */
  abstract BatchState expiredState();

  /** Whether the provider stores metadata with a batch (OpenAI does, Anthropic does not). */
  abstract boolean keepsMetadata();

  void start(BatchSettings settings) {
    start(settings, null);
  }

  void start(BatchSettings settings, BatchLimits limits) {
    simulator =
        Simulator.start(
            SimulatorConfig.builder()
                .clock(clock)
                .latency(LatencySettings.NONE)
                .batches(settings)
                .apiKey(API_KEY)
                .build());
    ProviderConfig config = config(simulator.baseUrl());
    batches =
        new ProviderFactory(clock)
            .batch(limits == null ? config : config.withBatchLimits(limits))
            .orElseThrow();
  }

  @AfterEach
  void stop() {
    if (batches != null) {
      batches.close();
    }
    if (simulator != null) {
      simulator.close();
    }
  }

  List<BatchRequest> lines(int count) {
    return IntStream.range(0, count)
        .mapToObj(
            i ->
                new BatchRequest(
                    "task-" + i,
                    new CompletionSpec(
                        model(), List.of(ChatMessage.user("reverse: line " + i)), 30, null, null)))
        .toList();
  }

  static List<String> ids(List<BatchRequest> lines) {
    return lines.stream().map(BatchRequest::customId).toList();
  }

  BatchStatus awaitEnd(String batchId) {
    return await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> batches.status(batchId), BatchStatus::isTerminal);
  }

  static Map<String, BatchItemResult> byId(List<BatchItemResult> results) {
    return results.stream()
        .collect(Collectors.toMap(BatchItemResult::customId, Function.identity()));
  }

  @Test
  void shouldCompleteABatchAndMapEveryResultToItsCustomId() {
    start(BatchSettings.DEFAULT);
    List<BatchRequest> lines = lines(5);

    BatchStatus submitted = batches.submit(lines, Map.of("sluice_batch", "b-1"));
    assertThat(submitted.isTerminal()).isFalse();
    assertThat(submitted.batchId()).isNotBlank();
    assertThatThrownBy(() -> batches.results(submitted.batchId()))
        .isInstanceOf(IllegalStateException.class);

    clock.advance(Duration.ofSeconds(5));
    BatchStatus ended = awaitEnd(submitted.batchId());
    Map<String, BatchItemResult> results = byId(batches.results(ended.batchId(), ids(lines)));

    assertThat(ended.state()).isEqualTo(BatchState.COMPLETED);
    assertThat(ended.counts().succeeded()).isEqualTo(5);
    assertThat(batches.results(ended.batchId())).hasSize(5);
    assertThat(results).hasSize(5);
    for (int i = 0; i < 5; i++) {
      BatchItemResult result = results.get("task-" + i);
      assertThat(result.status()).isEqualTo(BatchItemStatus.SUCCEEDED);
      assertThat(result.output()).isEqualTo(new StringBuilder("line " + i).reverse().toString());
      assertThat(result.usage().inputTokens()).isPositive();
      assertThat(result.usage().outputTokens()).isPositive();
    }
  }

  @Test
  void shouldListTheBatchesCreatedSinceAnInstantNewestFirstWithTheirMetadataAndRequestCount() {
    start(BatchSettings.DEFAULT);
    BatchStatus older = batches.submit(lines(2), Map.of("sluice_batch", "b-older"));
    clock.advance(Duration.ofMinutes(1));
    Instant since = clock.instant();
    BatchStatus second = batches.submit(lines(3), Map.of("sluice_batch", "b-2"));
    clock.advance(Duration.ofSeconds(1));
    BatchStatus newest = batches.submit(lines(1));

    List<BatchStatus> listed = batches.list(since);

    assertThat(listed)
        .extracting(BatchStatus::batchId)
        .containsExactly(newest.batchId(), second.batchId());
    BatchStatus listedSecond = listed.get(1);
    assertThat(listedSecond.counts().total()).isEqualTo(3);
    assertThat(listedSecond.createdAt()).isEqualTo(since);
    assertThat(listedSecond.metadata())
        .isEqualTo(keepsMetadata() ? Map.of("sluice_batch", "b-2") : Map.of());
    assertThat(listed.getFirst().metadata()).isEmpty();
    assertThat(batches.list(since.minus(Duration.ofMinutes(5))))
        .extracting(BatchStatus::batchId)
        .containsExactly(newest.batchId(), second.batchId(), older.batchId());
  }

  @Test
  void shouldPriceBatchResultsAtHalfTheRealtimePrice() {
    start(BatchSettings.DEFAULT);
    BatchStatus submitted = batches.submit(lines(1));
    clock.advance(Duration.ofSeconds(5));
    awaitEnd(submitted.batchId());
    TokenUsage usage = batches.results(submitted.batchId(), List.of("task-0")).getFirst().usage();

    PriceTable prices = PriceTable.defaults();
    BigDecimal batch = prices.batchCost(model(), usage);
    assertThat(batch).isPositive();
    assertThat(batch.multiply(BigDecimal.TWO))
        .isEqualByComparingTo(prices.realtimeCost(model(), usage));
  }

  @Test
  void shouldReportPartialFailurePerCustomId() {
    start(BatchSettings.DEFAULT.withErrorShare(0.5));
    List<BatchRequest> lines = lines(20);
    BatchStatus submitted = batches.submit(lines);
    clock.advance(Duration.ofSeconds(5));
    BatchStatus ended = awaitEnd(submitted.batchId());

    List<BatchItemResult> results = batches.results(ended.batchId(), ids(lines));

    assertThat(batches.results(ended.batchId())).hasSize(20);
    assertThat(results).extracting(BatchItemResult::customId).containsExactlyElementsOf(ids(lines));
    List<BatchItemResult> errored =
        results.stream().filter(r -> r.status() == BatchItemStatus.ERRORED).toList();
    List<BatchItemResult> succeeded =
        results.stream().filter(BatchItemResult::isSucceeded).toList();
    assertThat(errored).isNotEmpty();
    assertThat(succeeded).isNotEmpty();
    assertThat(errored.size() + succeeded.size()).isEqualTo(20);
    assertThat(errored)
        .allSatisfy(
            r -> {
              assertThat(r.error().retriable()).isTrue();
              assertThat(r.error().code()).isIn("server_error", "api_error");
              assertThat(r.error().message()).isNotBlank();
              assertThat(r.output()).isNull();
            });
    assertThat(ended.counts().errored()).isEqualTo(errored.size());
  }

  @Test
  void shouldDeliverFinishedLinesAndExpireTheRest() {
    start(
        BatchSettings.DEFAULT
            .withProcessingTime(Duration.ofHours(48))
            .withCompletionWindow(Duration.ofHours(24)));
    List<BatchRequest> lines = lines(10);
    BatchStatus submitted = batches.submit(lines);

    clock.advance(Duration.ofHours(25));
    BatchStatus ended = awaitEnd(submitted.batchId());
    List<BatchItemResult> results = batches.results(ended.batchId(), ids(lines));

    assertThat(ended.state()).isEqualTo(expiredState());
    assertThat(batches.results(ended.batchId())).hasSize(10);
    assertThat(results).extracting(BatchItemResult::customId).containsExactlyElementsOf(ids(lines));
    assertThat(results).filteredOn(BatchItemResult::isSucceeded).isNotEmpty();
    List<BatchItemResult> expired =
        results.stream().filter(r -> r.status() == BatchItemStatus.EXPIRED).toList();
    assertThat(expired).isNotEmpty();
    assertThat(expired).allSatisfy(r -> assertThat(r.error().retriable()).isTrue());
    assertThat(expired).allSatisfy(r -> assertThat(r.usage()).isEqualTo(TokenUsage.NONE));
  }

  @Test
  void shouldCancelABatchAndReportUnfinishedLinesAsCancelled() {
    start(BatchSettings.DEFAULT.withProcessingTime(Duration.ofHours(10)));
    List<BatchRequest> lines = lines(4);
    BatchStatus submitted = batches.submit(lines);
    clock.advance(Duration.ofSeconds(1));

    BatchStatus cancelling = batches.cancel(submitted.batchId());
    assertThat(cancelling.state()).isIn(BatchState.CANCELLING, BatchState.CANCELLED);
    clock.advance(Duration.ofSeconds(1));
    BatchStatus ended = awaitEnd(submitted.batchId());
    List<BatchItemResult> results = batches.results(ended.batchId(), ids(lines));

    assertThat(ended.state()).isEqualTo(BatchState.CANCELLED);
    assertThat(results).hasSize(4);
    assertThat(results)
        .extracting(BatchItemResult::status)
        .allMatch(s -> s == BatchItemStatus.CANCELLED || s == BatchItemStatus.SUCCEEDED)
        .contains(BatchItemStatus.CANCELLED);
  }

  @Test
  void shouldRejectTooManyRequestsBeforeSending() {
    start(BatchSettings.DEFAULT, new BatchLimits(3, 1_000_000));
    BatchRejectedException e =
        catchThrowableOfType(BatchRejectedException.class, () -> batches.submit(lines(4)));

    assertThat(e.errorCode()).isEqualTo(BatchRejectedException.TOO_LARGE);
    assertThat(e.isRetriable()).isFalse();
    assertThat(e.getMessage()).contains("4 requests exceed the limit of 3");
  }

  @Test
  void shouldRejectTooManyBytesBeforeSending() {
    start(BatchSettings.DEFAULT, new BatchLimits(1_000, 600));
    BatchRejectedException e =
        catchThrowableOfType(BatchRejectedException.class, () -> batches.submit(lines(10)));

    assertThat(e.errorCode()).isEqualTo(BatchRejectedException.TOO_LARGE);
    assertThat(e.getMessage()).contains("over the limit of 600 bytes");
  }

  @Test
  void shouldRejectDuplicateCustomIdsBeforeSending() {
    start(BatchSettings.DEFAULT);
    List<BatchRequest> duplicate = List.of(lines(1).getFirst(), lines(1).getFirst());
    assertThatThrownBy(() -> batches.submit(duplicate))
        .isInstanceOf(BatchRejectedException.class)
        .hasMessageContaining("custom_id 'task-0' appears more than once");
  }

  @Test
  void shouldReportAnUnknownBatchAsPermanentFailure() {
    start(BatchSettings.DEFAULT);
    ProviderException e =
        catchThrowableOfType(ProviderException.class, () -> batches.status("batch_unknown_1"));
    assertThat(e.httpStatus()).isEqualTo(404);
    assertThat(e.isRetriable()).isFalse();
  }
}
