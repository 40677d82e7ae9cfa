package io.sluice.batch.internal;

import io.sluice.batch.store.PendingItemRepository.FallingBack;
import io.sluice.batch.store.PendingItemRepository.ReadyResult;
import io.sluice.batch.store.PlacementOutboxRepository.OutgoingPlacement;
import io.sluice.lifecycle.BackgroundLoop;
import io.sluice.schemas.json.Json;
import io.sluice.schemas.task.TaskResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;

/**
 * The publisher loop's step, the only sender of the deferred lane's records, in this order:
 *
 * <ol>
 *   <li>placements ({@code TaskResult.placed}) to {@code sluice.task-results}, oldest first, then
 *       deleted from the outbox;
 *   <li>tasks recorded as falling back, to their realtime lane ({@code sluice.tasks.<provider>.
 *       standard}), then recorded as fallen back;
 *   <li>decided results to {@code sluice.task-results}, then recorded as published; batches whose
 *       results are all out become {@code PUBLISHED}.
 * </ol>
 *
 * <p>The results are read before the placements: a placement is recorded in a transaction before
 * its task's result is decided, so every placement of a result read here is already in the outbox
 * and goes out first (a step that cannot send every placement sends no result). Each group is
 * recorded as sent before the next is sent, so a crash re-sends at most the last group, never a
 * placement after its result. Consumers record results idempotently by task ID and workers take a
 * task again idempotently by task ID.
 */
final class PublishResults implements BackgroundLoop.Step {
  private static final int PER_STEP = 500;

  private final Store store;
  private final ResultProducer producer;
  private final Clock clock;

  PublishResults(Store store, ResultProducer producer, Clock clock) {
    this.store = store;
    this.producer = producer;
    this.clock = clock;
  }

  @Override
  public BackgroundLoop.Next run() {
    List<ReadyResult> ready =
        store.db().inTransaction("read results to publish", c -> store.items().ready(c, PER_STEP));
    List<FallingBack> fallingBack =
        store
            .db()
            .inTransaction("read tasks falling back", c -> store.items().fallingBack(c, PER_STEP));
    if (!publishPlacements()) {
      return BackgroundLoop.Next.MORE;
    }
    produceFallbacks(fallingBack);
    publishResults(ready);
    return ready.size() == PER_STEP || fallingBack.size() == PER_STEP
        ? BackgroundLoop.Next.MORE
        : BackgroundLoop.Next.IDLE;
  }

  /** Sends the waiting placements; whether there were no more than one step's worth. */
  private boolean publishPlacements() {
    List<OutgoingPlacement> placements =
        store
            .db()
            .inTransaction("read placements to publish", c -> store.placements().next(c, PER_STEP));
    if (placements.isEmpty()) {
      return true;
    }
    producer.publish(placements.stream().map(p -> read(p.resultJson(), p.seq())).toList());
    store
        .db()
        .inTransaction(
            "record published placements",
            c -> {
              store
                  .placements()
                  .delete(c, placements.stream().map(OutgoingPlacement::seq).toList());
              return null;
            });
    return placements.size() < PER_STEP;
  }

  private void produceFallbacks(List<FallingBack> fallingBack) {
    if (fallingBack.isEmpty()) {
      return;
    }
    producer.fallBack(fallingBack.stream().map(FallingBack::task).toList());
    store
        .db()
        .inTransaction(
            "record tasks fallen back",
            c -> {
              store
                  .items()
                  .markFallenBack(
                      c, fallingBack.stream().map(FallingBack::itemId).toList(), clock.instant());
              return null;
            });
  }

  private void publishResults(List<ReadyResult> ready) {
    if (!ready.isEmpty()) {
      producer.publish(ready.stream().map(r -> read(r.resultJson(), r.itemId())).toList());
    }
    store
        .db()
        .inTransaction(
            "record published results",
            c -> {
              if (!ready.isEmpty()) {
                store
                    .items()
                    .markPublished(
                        c, ready.stream().map(ReadyResult::itemId).toList(), clock.instant());
              }
              return store.batches().markPublishedWhereDone(c, clock.instant());
            });
  }

  private static TaskResult read(String json, long id) {
    try {
      return Json.mapper().readValue(json, TaskResult.class);
    } catch (IOException e) {
      throw new UncheckedIOException("a stored result is not readable (" + id + ")", e);
    }
  }
}
