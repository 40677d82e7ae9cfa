package io.sluice.providers.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.providers.BatchItemResult;
import io.sluice.providers.BatchItemStatus;
import io.sluice.providers.BatchLimits;
import io.sluice.providers.BatchRejectedException;
import io.sluice.providers.BatchRequest;
import io.sluice.providers.BatchState;
import io.sluice.providers.BatchStatus;
import io.sluice.schemas.job.ChatMessage;
import io.sluice.schemas.job.CompletionSpec;
import io.sluice.schemas.job.TokenUsage;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BatchInputChecksTest {
  private static final BatchLimits LIMITS = new BatchLimits(3, 1_000);

  private static BatchRequest line(String id, String model) {
    return new BatchRequest(
        id, new CompletionSpec(model, List.of(ChatMessage.user("hi")), null, null, null));
  }

  @Test
  void shouldReturnTheBatchModel() {
    assertThat(
            BatchInputChecks.check(
                "openai",
                LIMITS,
                List.of(line("a", "gpt-4o"), line("b", "gpt-4o")),
                BatchInputChecks.ANY_CUSTOM_ID))
        .isEqualTo("gpt-4o");
  }

  @Test
  void shouldRejectTooManyRequestsBeforeSending() {
    List<BatchRequest> four = IntStream.range(0, 4).mapToObj(i -> line("t" + i, "m")).toList();
    assertThatThrownBy(
            () -> BatchInputChecks.check("openai", LIMITS, four, BatchInputChecks.ANY_CUSTOM_ID))
        .isInstanceOf(BatchRejectedException.class)
        .hasMessageContaining("4 requests exceed the limit of 3 per batch")
        .satisfies(
            e -> {
              BatchRejectedException rejected = (BatchRejectedException) e;
              assertThat(rejected.errorCode()).isEqualTo(BatchRejectedException.TOO_LARGE);
              assertThat(rejected.isRetriable()).isFalse();
            });
    assertThatThrownBy(() -> BatchInputChecks.checkBytes("openai", LIMITS, 1_001))
        .isInstanceOf(BatchRejectedException.class)
        .hasMessageContaining("1001 bytes, over the limit of 1000 bytes");
  }

  @Test
  void shouldRejectInvalidInput() {
    assertThatThrownBy(
            () ->
                BatchInputChecks.check(
                    "openai",
                    LIMITS,
                    List.of(line("a", "m"), line("a", "m")),
                    BatchInputChecks.ANY_CUSTOM_ID))
        .hasMessageContaining("custom_id 'a' appears more than once");
    assertThatThrownBy(
            () ->
                BatchInputChecks.check(
                    "openai",
                    LIMITS,
                    List.of(line("a", "m1"), line("b", "m2")),
                    BatchInputChecks.ANY_CUSTOM_ID))
        .hasMessageContaining("a batch holds one model");
    assertThatThrownBy(
            () ->
                BatchInputChecks.check(
                    "anthropic",
                    LIMITS,
                    List.of(line("task/1", "m")),
                    BatchInputChecks.ANTHROPIC_CUSTOM_ID))
        .hasMessageContaining("custom_id 'task/1' does not match");
    assertThatThrownBy(
            () ->
                BatchInputChecks.check("openai", LIMITS, List.of(), BatchInputChecks.ANY_CUSTOM_ID))
        .hasMessageContaining("at least one request");
    assertThatThrownBy(
            () ->
                BatchInputChecks.checkMetadata(
                    "openai",
                    IntStream.range(0, 17)
                        .boxed()
                        .collect(java.util.stream.Collectors.toMap(i -> "k" + i, i -> "v"))))
        .hasMessageContaining("17 pairs");
    BatchInputChecks.checkMetadata("openai", Map.of("sluice_batch", "b1"));
  }

  @Test
  void shouldFillInMissingLinesFromTheBatchState() {
    BatchItemResult ok = BatchItemResult.succeeded("a", "x", new TokenUsage(1, 1), "m");
    List<BatchItemResult> expired =
        MissingResults.complete(status(BatchState.EXPIRED), List.of(ok), List.of("a", "b"));
    assertThat(expired)
        .extracting(BatchItemResult::status)
        .containsExactly(BatchItemStatus.SUCCEEDED, BatchItemStatus.EXPIRED);
    assertThat(
            MissingResults.complete(status(BatchState.CANCELLED), List.of(), List.of("b"))
                .getFirst()
                .status())
        .isEqualTo(BatchItemStatus.CANCELLED);
    BatchItemResult missing =
        MissingResults.complete(status(BatchState.COMPLETED), List.of(ok), List.of("c")).getFirst();
    assertThat(missing.status()).isEqualTo(BatchItemStatus.ERRORED);
    assertThat(missing.error().code()).isEqualTo("missing_result");
    assertThat(missing.error().retriable()).isTrue();
    assertThatThrownBy(
            () -> MissingResults.complete(status(BatchState.IN_PROGRESS), List.of(), List.of("a")))
        .isInstanceOf(IllegalStateException.class);
  }

  private static BatchStatus status(BatchState state) {
    return new BatchStatus("b1", state, state.name().toLowerCase(), null, null, null, null, null);
  }
}
