package io.sluice.batch.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.sluice.batch.plan.Attempt;
import io.sluice.batch.plan.ItemDecision;
import io.sluice.batch.store.BatchMember;
import io.sluice.schemas.json.Json;
import io.sluice.schemas.task.TaskResult;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/** Writes an item's decision inside the caller's transaction. */
final class DecisionWriter {
  private final Store store;
  private final Duration retryDelay;

  DecisionWriter(Store store, Duration retryDelay) {
    this.store = store;
    this.retryDelay = retryDelay;
  }

  static Attempt attempt(BatchMember member) {
    return new Attempt(member.task(), member.attempt(), member.receivedAt());
  }

  void write(
      Connection connection, String batchId, BatchMember member, ItemDecision decision, Instant now)
      throws SQLException {
    switch (decision) {
      case ItemDecision.Complete complete -> {
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
      }
    }
  }

  private static String json(TaskResult result) {
    try {
      return Json.mapper().writeValueAsString(result);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot write the result of task " + result.taskId(), e);
    }
  }
}
