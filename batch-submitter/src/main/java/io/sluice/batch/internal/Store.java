package io.sluice.batch.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.sluice.batch.store.BatchDatabase;
import io.sluice.batch.store.BatchMemberRepository;
import io.sluice.batch.store.PendingItemRepository;
import io.sluice.batch.store.PlacementOutboxRepository;
import io.sluice.batch.store.ProviderBatchRepository;
import io.sluice.schemas.job.Placement;
import io.sluice.schemas.json.Json;
import io.sluice.schemas.task.Task;
import io.sluice.schemas.task.TaskResult;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The database and its repositories, as the loops use them. */
record Store(
    BatchDatabase db,
    PendingItemRepository items,
    ProviderBatchRepository batches,
    BatchMemberRepository members,
    PlacementOutboxRepository placements) {

  static Store on(BatchDatabase db) {
    return new Store(
        db,
        new PendingItemRepository(),
        new ProviderBatchRepository(),
        new BatchMemberRepository(),
        new PlacementOutboxRepository());
  }

  /**
   * Records that a task moved: the item's last placement and a placed result to publish, inside the
   * caller's transaction (the one that makes the move), so the announcement is never lost and never
   * overtakes the task's terminal result.
   */
  void place(Connection connection, long itemId, Task task, Placement placement)
      throws SQLException {
    placeAll(connection, List.of(new Move(itemId, task, placement)));
  }

  /** {@link #place} for many items, in two batched statements. */
  void placeAll(Connection connection, List<Move> moves) throws SQLException {
    if (moves.isEmpty()) {
      return;
    }
    Map<Long, String> placements = new LinkedHashMap<>();
    Map<Long, TaskResult> placed = new LinkedHashMap<>();
    for (Move move : moves) {
      placements.put(move.itemId(), json(move.placement()));
      placed.put(move.itemId(), TaskResult.placed(move.task(), move.placement()));
    }
    items.setPlacements(connection, placements);
    this.placements.insert(connection, placed);
  }

  /** A task's move to a new placement. */
  record Move(long itemId, Task task, Placement placement) {}

  private static String json(Placement placement) {
    try {
      return Json.mapper().writeValueAsString(placement);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException("cannot write a placement", e);
    }
  }
}
