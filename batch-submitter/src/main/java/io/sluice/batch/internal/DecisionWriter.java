package io.sluice.batch.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.sluice.batch.plan.Attempt;
import io.sluice.batch.plan.ItemDecision;
import io.sluice.batch.store.BatchMember;
import io.sluice.schemas.job.Placement;
import io.sluice.schemas.json.Json;
import io.sluice.schemas.task.TaskResult;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * Writes an item's decision inside the caller's transaction, with the placement it implies (a
 * resubmitted item is announced as such in the same transaction).
 */
final class DecisionWriter {
  private final Store store;
  private final Duration retryDelay;

  DecisionWriter(Store store, Duration retryDelay) {
    this.store = store;
    this.retryDelay = retryDelay;
  }

  static Attempt attempt(BatchMember member) {
    return new Attempt(
        member.task(),
        member.attempt(),
        member.receivedAt(),
        member.placement(),
        member.state().hasFallenBack());
  }

  void write(
      Connection connection, String batchId, BatchMember member, ItemDecision decision, Instant now)
      throws SQLException {
    switch (decision) {
      case ItemDecision.Complete complete -> complete(connection, batchId, member, complete, now);
      case ItemDecision.Resubmit resubmit -> {
        store
            .items()
            .resubmit(
                connection,
                member.itemId(),
                batchId,
                resubmit.maxBatchLines(),
                now.plus(retryDelay),
                resubmit.reason().code(),
                now);
        store.members().recordOutcome(connection, batchId, member.customId(), "resubmitted");
        place(connection, member, Placement.Stage.RESUBMITTED, member.attempt() + 1, now);
      }
      case ItemDecision.Requeue requeue -> {
        store
            .items()
            .requeue(connection, member.itemId(), batchId, now, requeue.reason().code(), now);
        store.members().recordOutcome(connection, batchId, member.customId(), "refused");
        place(connection, member, requeue.stage(), member.attempt(), now);
      }
      case ItemDecision.FallBack fallBack -> fallBack(connection, batchId, member, now);
      case ItemDecision.Ignore ignore ->
          store.members().recordOutcome(connection, batchId, member.customId(), "ignored");
    }
  }

  private void complete(
      Connection connection,
      String batchId,
      BatchMember member,
      ItemDecision.Complete complete,
      Instant now)
      throws SQLException {
    TaskResult result = complete.result();
    String code = result.error() == null ? null : result.error().code();
    store.items().complete(connection, member.itemId(), batchId, json(result), code, now);
    store
        .members()
        .recordOutcome(
            connection,
            batchId,
            member.customId(),
            result.outcome().name().toLowerCase(Locale.ROOT));
  }

  /**
   * Moves the item to {@code FALLING_BACK} with its {@code realtime_fallback} placement; the
   * publisher then produces it to the realtime lane, as for a deadline (see {@code DeadlineSweep}).
   */
  private void fallBack(Connection connection, String batchId, BatchMember member, Instant now)
      throws SQLException {
    boolean moved = store.items().fallBack(connection, member.itemId(), member.state(), now);
    store
        .members()
        .recordOutcome(connection, batchId, member.customId(), moved ? "fell_back" : "ignored");
    if (moved) {
      place(connection, member, Placement.Stage.REALTIME_FALLBACK, member.attempt(), now);
    }
  }

  private void place(
      Connection connection, BatchMember member, Placement.Stage stage, int attempt, Instant now)
      throws SQLException {
    store.place(
        connection, member.itemId(), member.task(), new Placement(stage, null, attempt, now));
  }

  static String json(TaskResult result) {
    try {
      return Json.mapper().writeValueAsString(result);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot write the result of task " + result.taskId(), e);
    }
  }
}
