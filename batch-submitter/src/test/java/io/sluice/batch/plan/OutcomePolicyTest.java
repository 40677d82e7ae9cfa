package io.sluice.batch.plan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.providers.BatchItemResult;
import io.sluice.providers.BatchItemStatus;
import io.sluice.providers.pricing.PriceTable;
import io.sluice.schemas.Versioned;
import io.sluice.schemas.job.ChatMessage;
import io.sluice.schemas.job.CompletionSpec;
import io.sluice.schemas.job.ErrorInfo;
import io.sluice.schemas.job.Placement;
import io.sluice.schemas.job.TokenUsage;
import io.sluice.schemas.task.Lane;
import io.sluice.schemas.task.Task;
import io.sluice.schemas.task.TaskOutcome;
import io.sluice.schemas.task.TaskResult;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutcomePolicyTest {
  private static final Instant RECEIVED = Instant.parse("2026-03-01T00:00:00Z");
  private static final Instant NOW = Instant.parse("2026-03-01T01:00:00Z");
  private static final OutcomePolicy POLICY = new OutcomePolicy(3, PriceTable.defaults());

  private static Task task(String model) {
    return new Task(
        Versioned.CURRENT,
        "job-1.c",
        "job-1",
        "tenant-1",
        "openai",
        Lane.DEFERRED,
        new CompletionSpec(model, List.of(ChatMessage.user("reverse: abc")), 20, null, null),
        10,
        RECEIVED,
        null);
  }

  private static Attempt attempt(int attempts) {
    return new Attempt(task("gpt-4o-mini"), attempts, RECEIVED);
  }

  private static TaskResult complete(ItemDecision decision) {
    assertThat(decision).isInstanceOf(ItemDecision.Complete.class);
    return ((ItemDecision.Complete) decision).result();
  }

  private static ItemDecision.Resubmit resubmit(ItemDecision decision) {
    assertThat(decision).isInstanceOf(ItemDecision.Resubmit.class);
    return (ItemDecision.Resubmit) decision;
  }

  @Test
  void shouldPriceASucceededLineAtHalfTheRealtimePrice() {
    TokenUsage usage = new TokenUsage(1_000_000, 1_000_000);
    BatchItemResult line = BatchItemResult.succeeded("c", "cba", usage, "gpt-4o-mini-2024-07-18");

    TaskResult result = complete(POLICY.decideLine(attempt(1), line, NOW));

    assertThat(result.outcome()).isEqualTo(TaskOutcome.SUCCEEDED);
    assertThat(result.output()).isEqualTo("cba");
    assertThat(result.costUsd()).isEqualByComparingTo(new BigDecimal("0.375"));
    assertThat(result.costUsd())
        .isEqualByComparingTo(
            PriceTable.defaults().realtimeCost("gpt-4o-mini", usage).divide(BigDecimal.TWO));
    assertThat(result.usage()).isEqualTo(usage);
    assertThat(result.model()).isEqualTo("gpt-4o-mini-2024-07-18");
    assertThat(result.attempts()).isEqualTo(1);
    assertThat(result.startedAt()).isEqualTo(RECEIVED);
    assertThat(result.finishedAt()).isEqualTo(NOW);
    assertThat(result.taskId()).isEqualTo("job-1.c");
  }

  @Test
  void shouldUseTheTasksModelWhenTheLineNamesNone() {
    BatchItemResult line = BatchItemResult.succeeded("c", "x", new TokenUsage(10, 10), null);

    TaskResult result = complete(POLICY.decideLine(attempt(1), line, NOW));

    assertThat(result.model()).isEqualTo("gpt-4o-mini");
    assertThat(result.costUsd()).isNotNull();
  }

  @Test
  void shouldLeaveTheCostUnknownForAModelWithoutAPrice() {
    Attempt unknown = new Attempt(task("gpt-unknown"), 1, RECEIVED);
    BatchItemResult line = BatchItemResult.succeeded("c", "x", new TokenUsage(10, 10), null);

    assertThat(complete(POLICY.decideLine(unknown, line, NOW)).costUsd()).isNull();
  }

  @Test
  void shouldResubmitARetriableErrorAloneWhileAttemptsRemain() {
    BatchItemResult line =
        BatchItemResult.failed(
            "c", BatchItemStatus.ERRORED, ErrorInfo.retriable("server_error", "boom"), null);

    ItemDecision.Resubmit again = resubmit(POLICY.decideLine(attempt(2), line, NOW));

    assertThat(again.maxBatchLines()).isEqualTo(1);
    assertThat(again.reason().code()).isEqualTo("server_error");
  }

  @Test
  void shouldFallBackToTheRealtimeLaneWithTheLastErrorWhenAttemptsAreUsedUp() {
    BatchItemResult line =
        BatchItemResult.failed(
            "c", BatchItemStatus.ERRORED, ErrorInfo.retriable("server_error", "boom"), null);

    ItemDecision decision = POLICY.decideLine(attempt(3), line, NOW);

    assertThat(decision).isInstanceOf(ItemDecision.FallBack.class);
    assertThat(((ItemDecision.FallBack) decision).reason().code()).isEqualTo("server_error");
  }

  @Test
  void shouldFallBackAnExpiredLineOnItsLastAttempt() {
    BatchItemResult line = BatchItemResult.failed("c", BatchItemStatus.EXPIRED, null, null);

    assertThat(POLICY.decideLine(attempt(3), line, NOW)).isInstanceOf(ItemDecision.FallBack.class);
  }

  @Test
  void shouldFailAPermanentErrorEvenOnTheLastAttemptInsteadOfFallingBack() {
    BatchItemResult line =
        BatchItemResult.failed(
            "c", BatchItemStatus.ERRORED, ErrorInfo.permanent("invalid_request", "bad"), null);

    TaskResult result = complete(POLICY.decideLine(attempt(3), line, NOW));

    assertThat(result.outcome()).isEqualTo(TaskOutcome.FAILED);
    assertThat(result.attempts()).isEqualTo(3);
  }

  @Test
  void shouldFailAPermanentErrorAtOnceWithTheProvidersMessage() {
    ErrorInfo invalid = ErrorInfo.permanent("invalid_request_error", "max_tokens is too large");
    BatchItemResult line = BatchItemResult.failed("c", BatchItemStatus.ERRORED, invalid, null);

    TaskResult result = complete(POLICY.decideLine(attempt(1), line, NOW));

    assertThat(result.outcome()).isEqualTo(TaskOutcome.FAILED);
    assertThat(result.error()).isEqualTo(invalid);
    assertThat(result.costUsd()).isNull();
  }

  @Test
  void shouldResubmitAnExpiredLineAloneEvenWhenItsErrorSaysPermanent() {
    BatchItemResult line =
        BatchItemResult.failed(
            "c", BatchItemStatus.EXPIRED, ErrorInfo.permanent("batch_expired", "expired"), null);

    assertThat(resubmit(POLICY.decideLine(attempt(1), line, NOW)).maxBatchLines()).isEqualTo(1);
  }

  @Test
  void shouldResubmitAnExpiredLineWithoutAnError() {
    BatchItemResult line = BatchItemResult.failed("c", BatchItemStatus.EXPIRED, null, null);

    assertThat(resubmit(POLICY.decideLine(attempt(1), line, NOW)).reason().code())
        .isEqualTo("expired");
  }

  @Test
  void shouldResubmitACancelledLine() {
    BatchItemResult line = BatchItemResult.failed("c", BatchItemStatus.CANCELLED, null, null);

    assertThat(resubmit(POLICY.decideLine(attempt(1), line, NOW)).reason().code())
        .isEqualTo("cancelled");
  }

  @Test
  void shouldResubmitAMissingLine() {
    BatchItemResult line =
        BatchItemResult.failed(
            "c",
            BatchItemStatus.ERRORED,
            ErrorInfo.retriable(OutcomePolicy.MISSING_RESULT, "no result"),
            null);

    assertThat(resubmit(POLICY.decideLine(attempt(1), line, NOW)).reason().code())
        .isEqualTo(OutcomePolicy.MISSING_RESULT);
  }

  @Test
  void shouldSplitTheItemsOfAFailedBatchIntoHalves() {
    ErrorInfo error = ErrorInfo.retriable("token_limit_exceeded", "queue full");

    assertThat(resubmit(POLICY.decideFailedBatch(attempt(1), 10, error, NOW)).maxBatchLines())
        .isEqualTo(5);
    assertThat(resubmit(POLICY.decideFailedBatch(attempt(1), 3, error, NOW)).maxBatchLines())
        .isEqualTo(2);
    assertThat(resubmit(POLICY.decideFailedBatch(attempt(1), 2, error, NOW)).maxBatchLines())
        .isEqualTo(1);
    assertThat(resubmit(POLICY.decideFailedBatch(attempt(1), 1, error, NOW)).maxBatchLines())
        .isEqualTo(1);
  }

  @Test
  void shouldRetryAWholeBatchFailureEvenWhenTheProviderCalledItPermanent() {
    ErrorInfo error = ErrorInfo.permanent("invalid_batch", "bad line");

    ItemDecision.Resubmit again = resubmit(POLICY.decideFailedBatch(attempt(1), 4, error, NOW));

    assertThat(again.reason().retriable()).isTrue();
    assertThat(again.reason().code()).isEqualTo("invalid_batch");
  }

  @Test
  void shouldFallBackTheItemsOfAFailedBatchWhenOutOfAttempts() {
    ErrorInfo error = ErrorInfo.retriable("batch_failed", "failed");

    ItemDecision decision = POLICY.decideFailedBatch(attempt(3), 4, error, NOW);

    assertThat(decision).isInstanceOf(ItemDecision.FallBack.class);
    assertThat(((ItemDecision.FallBack) decision).reason().code()).isEqualTo("batch_failed");
  }

  @Test
  void shouldRefuseLessThanOneAttemptNamingTheKey() {
    assertThatThrownBy(() -> new OutcomePolicy(0, PriceTable.defaults()))
        .hasMessageContaining("batch-submitter.max-attempts");
  }

  private static Attempt fellBack(int attempts) {
    return new Attempt(task("gpt-4o-mini"), attempts, RECEIVED, null, true);
  }

  @Test
  void shouldCarryTheRealtimePriceOfTheSameUsageAndTheLastPlacementOnASuccess() {
    TokenUsage usage = new TokenUsage(1_000_000, 1_000_000);
    Placement placement =
        new Placement(Placement.Stage.IN_PROVIDER_BATCH, "batch_abc", 1, RECEIVED.plusSeconds(5));
    Attempt attempt = new Attempt(task("gpt-4o-mini"), 1, RECEIVED, placement, false);

    TaskResult result =
        complete(
            POLICY.decideLine(
                attempt, BatchItemResult.succeeded("c", "cba", usage, "gpt-4o-mini"), NOW));

    assertThat(result.costUsd()).isEqualByComparingTo(new BigDecimal("0.375"));
    assertThat(result.realtimeCostUsd()).isEqualByComparingTo(new BigDecimal("0.75"));
    assertThat(result.placement()).isEqualTo(placement);
  }

  @Test
  void shouldCarryTheLastPlacementOnAFailure() {
    Placement placement = new Placement(Placement.Stage.IN_PROVIDER_BATCH, "batch_abc", 3, NOW);
    Attempt last = new Attempt(task("gpt-4o-mini"), 3, RECEIVED, placement, false);
    BatchItemResult line =
        BatchItemResult.failed(
            "c", BatchItemStatus.ERRORED, ErrorInfo.permanent("invalid_request", "bad"), null);

    TaskResult result = complete(POLICY.decideLine(last, line, NOW));

    assertThat(result.outcome()).isEqualTo(TaskOutcome.FAILED);
    assertThat(result.placement()).isEqualTo(placement);
    assertThat(result.realtimeCostUsd()).isNull();
  }

  @Test
  void shouldStillPublishASuccessOfATaskThatFellBackForItsCost() {
    TokenUsage usage = new TokenUsage(100, 10);

    TaskResult result =
        complete(
            POLICY.decideLine(
                fellBack(1), BatchItemResult.succeeded("c", "cba", usage, "gpt-4o-mini"), NOW));

    assertThat(result.outcome()).isEqualTo(TaskOutcome.SUCCEEDED);
    assertThat(result.costUsd()).isPositive();
  }

  @Test
  void shouldIgnoreEveryOtherLineOfATaskThatFellBackAndNeverResubmitIt() {
    List<BatchItemResult> lines =
        List.of(
            BatchItemResult.failed(
                "c", BatchItemStatus.ERRORED, ErrorInfo.retriable("server_error", "x"), null),
            BatchItemResult.failed(
                "c", BatchItemStatus.ERRORED, ErrorInfo.permanent("invalid_request", "x"), null),
            BatchItemResult.failed(
                "c", BatchItemStatus.EXPIRED, ErrorInfo.retriable("expired", "x"), null),
            BatchItemResult.failed(
                "c", BatchItemStatus.CANCELLED, ErrorInfo.retriable("cancelled", "x"), null));
    for (BatchItemResult line : lines) {
      assertThat(POLICY.decideLine(fellBack(1), line, NOW))
          .as("%s", line.status())
          .isInstanceOf(ItemDecision.Ignore.class);
    }
    assertThat(
            POLICY.decideFailedBatch(
                fellBack(1), 10, ErrorInfo.retriable("batch_failed", "x"), NOW))
        .isInstanceOf(ItemDecision.Ignore.class);
    assertThat(
            POLICY.decideRefusedBatch(
                fellBack(1), ErrorInfo.retriable("token_limit_exceeded", "x"), true))
        .isInstanceOf(ItemDecision.Ignore.class);
  }

  @Test
  void shouldRequeueTheItemsOfABatchRefusedForRoomEvenOnTheirLastAttempt() {
    ErrorInfo refusal = ErrorInfo.permanent("token_limit_exceeded", "queue full");

    ItemDecision created = POLICY.decideRefusedBatch(attempt(3), refusal, true);
    ItemDecision notCreated = POLICY.decideRefusedBatch(attempt(3), refusal, false);

    assertThat(created)
        .isEqualTo(
            new ItemDecision.Requeue(
                ErrorInfo.retriable("token_limit_exceeded", "queue full"),
                Placement.Stage.RESUBMITTED));
    assertThat(((ItemDecision.Requeue) notCreated).stage()).isEqualTo(Placement.Stage.PENDING);
  }
}
