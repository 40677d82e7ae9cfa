package io.sluice.batch.internal;

import io.sluice.batch.plan.DeadlineRule;
import io.sluice.batch.store.PendingItemRepository.StoredItem;
import io.sluice.schemas.job.Placement;
import io.sluice.schemas.task.TaskResult;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Acts on deadlines before anything is flushed ({@link DeadlineRule}): an item that must fall back
 * is recorded {@code FALLING_BACK} together with its {@code realtime_fallback} placement (the
 * publisher then announces it and produces the task to the realtime lane); a pending item past its
 * deadline gets an expired result instead of a batch. One transaction per sweep.
 */
final class DeadlineSweep {
  private static final Logger LOG = LoggerFactory.getLogger(DeadlineSweep.class);
  private static final int PER_SWEEP = 1000;

  private final Store store;
  private final DeadlineRule rule;
  private final Clock clock;

  DeadlineSweep(Store store, DeadlineRule rule, Clock clock) {
    this.store = store;
    this.rule = rule;
    this.clock = clock;
  }

  /**
   * The latest deadline the sweep acts on at {@code now}: a batch may take only items due later.
   */
  Instant actionableBefore(Instant now) {
    return rule.actionableBefore(now);
  }

  /**
   * @return how many items fell back or expired
   */
  int sweep() {
    Instant now = clock.instant();
    int[] moved = new int[2];
    store
        .db()
        .inTransaction(
            "act on deadlines",
            c -> {
              List<StoredItem> due =
                  store.items().deadlineDue(c, rule.actionableBefore(now), now, PER_SWEEP);
              for (StoredItem item : due) {
                switch (rule.decide(item.state(), item.deadline(), now)) {
                  case FALL_BACK -> moved[0] += fallBack(c, item, now) ? 1 : 0;
                  case EXPIRE -> moved[1] += expire(c, item, now) ? 1 : 0;
                  case KEEP -> {}
                }
              }
              return null;
            });
    if (moved[0] + moved[1] > 0) {
      LOG.info(
          "{} deferred tasks fall back to the realtime lane for their deadline, {} expired while"
              + " pending",
          moved[0],
          moved[1]);
    }
    return moved[0] + moved[1];
  }

  private boolean fallBack(Connection c, StoredItem item, Instant now) throws SQLException {
    if (!store.items().fallBack(c, item.itemId(), item.state(), now)) {
      return false;
    }
    int attempt = Math.max(1, item.attempts());
    store.place(
        c,
        item.itemId(),
        item.task(),
        new Placement(Placement.Stage.REALTIME_FALLBACK, null, attempt, now));
    return true;
  }

  private boolean expire(Connection c, StoredItem item, Instant now) throws SQLException {
    TaskResult expired =
        TaskResult.expired(
                item.task(), item.attempts(), item.attempts() > 0 ? item.receivedAt() : null, now)
            .withPlacement(item.placement());
    return store
        .items()
        .finishPending(c, item.itemId(), DecisionWriter.json(expired), "deadline_exceeded", now);
  }
}
