package io.sluice.providers.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.sluice.providers.BatchItemResult;
import io.sluice.providers.BatchItemStatus;
import io.sluice.providers.BatchProvider;
import io.sluice.providers.BatchRequest;
import io.sluice.providers.BatchState;
import io.sluice.providers.BatchStatus;
import io.sluice.providers.ProviderConfig;
import io.sluice.providers.ProviderException;
import io.sluice.providers.ProviderFactory;
import io.sluice.schemas.job.ChatMessage;
import io.sluice.schemas.job.CompletionSpec;
import io.sluice.schemas.job.TokenUsage;
import io.sluice.simulator.BatchQueueLimits;
import io.sluice.simulator.BatchSettings;
import io.sluice.simulator.LatencySettings;
import io.sluice.simulator.ManualClock;
import io.sluice.simulator.Simulator;
import io.sluice.simulator.SimulatorConfig;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How the batch adapters report the providers' batch limits, against the simulator's profiles:
 * distinct from other failures, so the deferred lane can put the items back without spending an
 * attempt.
 */
class BatchLimitRefusalTest {
  private static final String API_KEY = "sk-sim-limits-0123456789abcdef";
  private final ManualClock clock = new ManualClock(Instant.parse("2026-03-01T00:00:00Z"));
  private Simulator simulator;
  private BatchProvider batches;

  private void start(ProviderConfig config, BatchQueueLimits limits) {
    simulator =
        Simulator.start(
            SimulatorConfig.builder()
                .clock(clock)
                .latency(LatencySettings.NONE)
                .batches(BatchSettings.DEFAULT.withProcessingTime(Duration.ofSeconds(10)))
                .batchLimits(limits)
                .apiKey(API_KEY)
                .build());
    batches =
        new ProviderFactory(clock).batch(config.withBaseUrl(simulator.baseUrl())).orElseThrow();
  }

  @AfterEach
  void stop() {
    batches.close();
    simulator.close();
  }

  private static List<BatchRequest> lines(String model, String prefix, int count) {
    return IntStream.range(0, count)
        .mapToObj(
            i ->
                new BatchRequest(
                    prefix + i,
                    new CompletionSpec(
                        model, List.of(ChatMessage.user("sum: " + i)), 20, null, null)))
        .toList();
  }

  @Test
  void shouldReportAnOpenAiBatchFailedForTheEnqueuedTokenLimitAsAQueueRefusal() {
    start(
        ProviderConfig.openai(API_KEY),
        BatchQueueLimits.NONE.withEnqueuedTokens("gpt-4o-mini", 300));
    BatchStatus accepted = batches.submit(lines("gpt-4o-mini", "a-", 20));
    List<BatchRequest> refused = lines("gpt-4o-mini", "b-", 20);
    BatchStatus submitted = batches.submit(refused);

    clock.advance(Duration.ofMillis(200));
    BatchStatus failed = batches.status(submitted.batchId());
    List<BatchItemResult> results =
        batches.results(failed.batchId(), refused.stream().map(BatchRequest::customId).toList());

    assertThat(failed.state()).isEqualTo(BatchState.FAILED);
    assertThat(failed.refusedForQueueLimit()).isTrue();
    assertThat(failed.failureCode()).isEqualTo(BatchStatus.TOKEN_LIMIT_EXCEEDED);
    assertThat(failed.failureMessage()).contains("Limit: 300 enqueued tokens");
    assertThat(batches.status(accepted.batchId()).refusedForQueueLimit()).isFalse();
    assertThat(results).hasSize(20);
    assertThat(results)
        .allSatisfy(
            r -> {
              assertThat(r.status()).isEqualTo(BatchItemStatus.ERRORED);
              assertThat(r.error().code()).isEqualTo(BatchStatus.TOKEN_LIMIT_EXCEEDED);
              assertThat(r.error().retriable()).isTrue();
              assertThat(r.usage()).isIn(null, TokenUsage.NONE);
            });
  }

  @Test
  void shouldRaiseARetriable429WithItsWaitPastTheOpenAiBatchCreationsPerHour() {
    start(ProviderConfig.openai(API_KEY), BatchQueueLimits.NONE.withBatchCreationsPerHour(1));
    batches.submit(lines("gpt-4o-mini", "a-", 2));
    clock.advance(Duration.ofMinutes(15));

    ProviderException e =
        catchThrowableOfType(
            ProviderException.class, () -> batches.submit(lines("gpt-4o-mini", "b-", 2)));
    clock.advance(Duration.ofMinutes(45));

    assertThat(e.isRetriable()).isTrue();
    assertThat(e.isRateLimited()).isTrue();
    assertThat(e.errorCode()).isEqualTo("rate_limit_exceeded");
    assertThat(e.retryAfter()).hasValue(Duration.ofMinutes(45));
    assertThat(e.getMessage()).contains("batch creations");
    assertThat(batches.list(Instant.EPOCH)).hasSize(1);
    assertThat(batches.submit(lines("gpt-4o-mini", "b-", 2)).state())
        .isEqualTo(BatchState.VALIDATING);
  }

  @Test
  void shouldRaiseARetriable429WithItsWaitWhenTheAnthropicQueueIsFull() {
    start(ProviderConfig.anthropic(API_KEY), BatchQueueLimits.NONE.withQueuedRequests(10));
    batches.submit(lines("claude-haiku-4-5", "a-", 10));

    ProviderException e =
        catchThrowableOfType(
            ProviderException.class, () -> batches.submit(lines("claude-haiku-4-5", "b-", 4)));

    assertThat(e.isRetriable()).isTrue();
    assertThat(e.isRateLimited()).isTrue();
    assertThat(e.errorCode()).isEqualTo("rate_limit_error");
    // 10 requests over 10 s after 100 ms of validation: 4 are done at 4.1 s
    assertThat(e.retryAfter()).hasValue(Duration.ofSeconds(5));
    assertThat(batches.list(Instant.EPOCH)).hasSize(1);
    clock.advance(e.retryAfter().orElseThrow());
    BatchStatus accepted = batches.submit(lines("claude-haiku-4-5", "b-", 4));
    assertThat(accepted.state()).isEqualTo(BatchState.IN_PROGRESS);
    assertThat(simulator.meter().snapshot().batchQueue("anthropic", "*").peakQueuedRequests())
        .isEqualTo(10);
  }
}
