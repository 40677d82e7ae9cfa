package io.sluice.batch.internal;

import io.sluice.batch.store.PendingItemRepository.ReadyResult;
import io.sluice.lifecycle.BackgroundLoop;
import io.sluice.schemas.json.Json;
import io.sluice.schemas.task.TaskResult;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;

/**
 * The publisher loop's step: sends decided results to {@code sluice.task-results}, then records
 * them as published, and moves batches whose results are all out to {@code PUBLISHED}. A crash
 * between the send and the record sends those results again: consumers record results idempotently
 * by task ID.
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
    if (!ready.isEmpty()) {
      producer.publish(ready.stream().map(PublishResults::result).toList());
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
    return ready.size() == PER_STEP ? BackgroundLoop.Next.MORE : BackgroundLoop.Next.IDLE;
  }

  private static TaskResult result(ReadyResult ready) {
    try {
      return Json.mapper().readValue(ready.resultJson(), TaskResult.class);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "a stored result is not readable (item " + ready.itemId() + ")", e);
    }
  }
}
