package io.sluice.batch.store;

import static io.sluice.batch.store.BatchDatabase.at;
import static io.sluice.batch.store.BatchDatabase.instant;

import io.sluice.batch.plan.GroupKey;
import io.sluice.batch.plan.GroupSummary;
import io.sluice.batch.plan.ItemState;
import io.sluice.batch.plan.PendingItem;
import io.sluice.schemas.job.Placement;
import io.sluice.schemas.task.Task;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/** All SQL of {@code batch_submitter.pending_item}: one row per deferred task. */
public final class PendingItemRepository {
  private static final String INSERT =
      "INSERT INTO batch_submitter.pending_item (task_id, job_id, provider, model, task,"
          + " line_bytes, state, attempts, max_batch_lines, deadline, received_at, eligible_at,"
          + " updated_at, input_tokens) VALUES (?, ?, ?, ?, ?::jsonb, ?, 'PENDING', 0, ?, ?, ?, ?,"
          + " ?, ?) ON CONFLICT (task_id) DO NOTHING RETURNING item_id";
  private static final String WAITING_GROUPS =
      "SELECT DISTINCT provider, model FROM batch_submitter.pending_item"
          + " WHERE state = 'PENDING' AND eligible_at <= ?";
  private static final String WAITING =
      "SELECT item_id, provider, model, line_bytes, eligible_at, deadline, attempts,"
          + " max_batch_lines, input_tokens FROM batch_submitter.pending_item"
          + " WHERE state = 'PENDING' AND provider = ? AND model = ? AND eligible_at <= ?"
          + " AND (deadline IS NULL OR deadline > ?)"
          + " ORDER BY (max_batch_lines < ?) DESC, eligible_at, item_id LIMIT ?";
  private static final String SUMMARY =
      "SELECT count(*) AS n, coalesce(sum(line_bytes), 0) AS bytes, min(eligible_at) AS oldest,"
          + " min(deadline) AS deadline, coalesce(bool_or(max_batch_lines < ?), false) AS restricted"
          + " FROM batch_submitter.pending_item"
          + " WHERE state = 'PENDING' AND provider = ? AND model = ? AND eligible_at <= ?"
          + " AND (deadline IS NULL OR deadline > ?)";
  private static final String ASSIGN =
      "UPDATE batch_submitter.pending_item SET state = 'IN_BATCH', attempts = attempts + 1,"
          + " batch_id = ?, updated_at = ? WHERE item_id = ANY (?) AND state = 'PENDING'";
  private static final String RESUBMIT =
      "UPDATE batch_submitter.pending_item SET state = 'PENDING', max_batch_lines = ?,"
          + " eligible_at = ?, last_error_code = ?, updated_at = ?"
          + " WHERE item_id = ? AND state = 'IN_BATCH' AND batch_id = ?";
  private static final String REQUEUE =
      "UPDATE batch_submitter.pending_item SET state = 'PENDING', attempts = attempts - 1,"
          + " eligible_at = ?, last_error_code = ?, updated_at = ?"
          + " WHERE item_id = ? AND state = 'IN_BATCH' AND batch_id = ?";
  private static final String COMPLETE =
      "UPDATE batch_submitter.pending_item SET state = 'DONE', result = ?::jsonb,"
          + " last_error_code = ?, updated_at = ? WHERE item_id = ? AND batch_id = ?"
          + " AND state IN ('IN_BATCH', 'FALLING_BACK', 'FALLEN_BACK')";
  private static final String FINISH_PENDING =
      "UPDATE batch_submitter.pending_item SET state = 'DONE', result = ?::jsonb,"
          + " last_error_code = ?, updated_at = ? WHERE item_id = ? AND state = 'PENDING'";
  private static final String PLACEMENT =
      "UPDATE batch_submitter.pending_item SET placement = ?::jsonb WHERE item_id = ?";
  private static final String DEADLINE_DUE =
      "SELECT item_id, state, task::text AS task, attempts, received_at, deadline, placement::text"
          + " AS placement FROM batch_submitter.pending_item WHERE state IN ('PENDING', 'IN_BATCH')"
          + " AND deadline IS NOT NULL AND deadline <= ? AND (state = 'PENDING' OR deadline > ?)"
          + " ORDER BY deadline LIMIT ?";
  private static final String FALL_BACK =
      "UPDATE batch_submitter.pending_item SET state = 'FALLING_BACK', updated_at = ?"
          + " WHERE item_id = ? AND state = ?";
  private static final String FALLING_BACK =
      "SELECT item_id, task::text AS task FROM batch_submitter.pending_item"
          + " WHERE state = 'FALLING_BACK' ORDER BY item_id LIMIT ?";
  private static final String FALLEN_BACK =
      "UPDATE batch_submitter.pending_item SET state = 'FALLEN_BACK', updated_at = ?"
          + " WHERE item_id = ANY (?) AND state = 'FALLING_BACK'";
  private static final String CANCEL_JOB =
      "UPDATE batch_submitter.pending_item SET state = 'CANCELLED', updated_at = ?"
          + " WHERE job_id = ? AND state IN ('PENDING', 'IN_BATCH', 'FALLING_BACK', 'FALLEN_BACK')";
  private static final String RECORD_CANCEL =
      "INSERT INTO batch_submitter.cancelled_job (job_id, cancelled_at) VALUES (?, ?)"
          + " ON CONFLICT (job_id) DO NOTHING";
  private static final String CANCELLED_AMONG =
      "SELECT job_id FROM batch_submitter.cancelled_job WHERE job_id = ANY (?)";
  private static final String FORGET_CANCELS =
      "DELETE FROM batch_submitter.cancelled_job WHERE cancelled_at < ?";
  private static final String STORED =
      "SELECT item_id, state, task::text AS task, attempts, received_at, deadline, placement::text"
          + " AS placement FROM batch_submitter.pending_item WHERE item_id = ?";
  private static final String DONE =
      "SELECT item_id, job_id, result::text AS result FROM batch_submitter.pending_item"
          + " WHERE state = 'DONE' ORDER BY item_id LIMIT ?";
  private static final String PUBLISHED =
      "UPDATE batch_submitter.pending_item SET state = 'PUBLISHED', updated_at = ?"
          + " WHERE item_id = ANY (?) AND state = 'DONE'";
  private static final String COUNT_BY_STATE =
      "SELECT state, count(*) AS n FROM batch_submitter.pending_item GROUP BY state";
  private static final String ENQUEUED_TOKENS =
      "SELECT coalesce(sum(input_tokens), 0) FROM batch_submitter.pending_item"
          + " WHERE state = 'IN_BATCH'";
  private static final String BY_TASK =
      "SELECT state, attempts, batch_id, last_error_code FROM batch_submitter.pending_item"
          + " WHERE task_id = ?";

  /**
   * Records a deferred task as pending, once: a task already known (a redelivered record) is left
   * as it is.
   *
   * @param inputTokens its estimated prompt tokens (what it adds to the provider's batch queue)
   * @return the new item's ID, or empty when the task was already known
   */
  public OptionalLong insertIfAbsent(
      Connection connection,
      Task task,
      String taskJson,
      long lineBytes,
      long inputTokens,
      Instant now)
      throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
      insert.setString(1, task.taskId());
      insert.setString(2, task.jobId());
      insert.setString(3, task.provider());
      insert.setString(4, task.request().model());
      insert.setString(5, taskJson);
      insert.setLong(6, lineBytes);
      insert.setInt(7, PendingItem.ANY_SIZE);
      insert.setObject(8, at(task.deadline()));
      insert.setObject(9, at(now));
      insert.setObject(10, at(now));
      insert.setObject(11, at(now));
      insert.setLong(12, inputTokens);
      try (ResultSet row = insert.executeQuery()) {
        return row.next() ? OptionalLong.of(row.getLong(1)) : OptionalLong.empty();
      }
    }
  }

  /** The groups that have at least one eligible pending item. */
  public List<GroupKey> waitingGroups(Connection connection, Instant now) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(WAITING_GROUPS)) {
      select.setObject(1, at(now));
      List<GroupKey> groups = new ArrayList<>();
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          groups.add(new GroupKey(rows.getString("provider"), rows.getString("model")));
        }
      }
      return groups;
    }
  }

  /**
   * Counts and bounds of a group's eligible pending items, without reading them.
   *
   * @param deadlinesAfter items whose deadline is at or before this are left out: the deadline
   *     sweep acts on them (fall back or expire), a batch must not take them
   */
  public GroupSummary summary(
      Connection connection, GroupKey group, Instant now, Instant deadlinesAfter)
      throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(SUMMARY)) {
      select.setInt(1, PendingItem.ANY_SIZE);
      select.setString(2, group.provider());
      select.setString(3, group.model());
      select.setObject(4, at(now));
      select.setObject(5, at(deadlinesAfter));
      try (ResultSet row = select.executeQuery()) {
        row.next();
        return new GroupSummary(
            row.getLong("n"),
            row.getLong("bytes"),
            instant(row, "oldest"),
            instant(row, "deadline"),
            row.getBoolean("restricted"));
      }
    }
  }

  /**
   * A group's eligible pending items, resubmissions first, then oldest first.
   *
   * @param deadlinesAfter items whose deadline is at or before this are left out (see {@link
   *     #summary})
   * @param limit the most rows to read (one batch's worth is enough)
   */
  public List<PendingItem> waiting(
      Connection connection, GroupKey group, Instant now, Instant deadlinesAfter, int limit)
      throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(WAITING)) {
      select.setString(1, group.provider());
      select.setString(2, group.model());
      select.setObject(3, at(now));
      select.setObject(4, at(deadlinesAfter));
      select.setInt(5, PendingItem.ANY_SIZE);
      select.setInt(6, limit);
      List<PendingItem> items = new ArrayList<>();
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          items.add(
              new PendingItem(
                  rows.getLong("item_id"),
                  group,
                  rows.getLong("line_bytes"),
                  instant(rows, "eligible_at"),
                  instant(rows, "deadline"),
                  rows.getInt("attempts"),
                  rows.getInt("max_batch_lines"),
                  rows.getLong("input_tokens")));
        }
      }
      return items;
    }
  }

  /**
   * Moves pending items into a planned batch and counts the attempt.
   *
   * @return how many moved (fewer than asked means some were no longer pending)
   */
  public int assign(Connection connection, List<Long> itemIds, String batchId, Instant now)
      throws SQLException {
    try (PreparedStatement update = connection.prepareStatement(ASSIGN)) {
      update.setString(1, batchId);
      update.setObject(2, at(now));
      update.setArray(3, ids(connection, itemIds));
      return update.executeUpdate();
    }
  }

  /** Puts an item of the given batch back to pending, for a batch of at most the given size. */
  public void resubmit(
      Connection connection,
      long itemId,
      String batchId,
      int maxBatchLines,
      Instant eligibleAt,
      String errorCode,
      Instant now)
      throws SQLException {
    try (PreparedStatement update = connection.prepareStatement(RESUBMIT)) {
      update.setInt(1, maxBatchLines);
      update.setObject(2, at(eligibleAt));
      update.setString(3, errorCode);
      update.setObject(4, at(now));
      update.setLong(5, itemId);
      update.setString(6, batchId);
      update.executeUpdate();
    }
  }

  /**
   * Puts an item of a batch the provider refused for room back to pending as it was before: its
   * attempt given back, its size bound kept.
   */
  public void requeue(
      Connection connection,
      long itemId,
      String batchId,
      Instant eligibleAt,
      String errorCode,
      Instant now)
      throws SQLException {
    try (PreparedStatement update = connection.prepareStatement(REQUEUE)) {
      update.setObject(1, at(eligibleAt));
      update.setString(2, errorCode);
      update.setObject(3, at(now));
      update.setLong(4, itemId);
      update.setString(5, batchId);
      update.executeUpdate();
    }
  }

  /** Stores the final result of an item that never reached a batch (expired, too large). */
  public boolean finishPending(
      Connection connection, long itemId, String resultJson, String errorCode, Instant now)
      throws SQLException {
    try (PreparedStatement update = connection.prepareStatement(FINISH_PENDING)) {
      update.setString(1, resultJson);
      update.setString(2, errorCode);
      update.setObject(3, at(now));
      update.setLong(4, itemId);
      return update.executeUpdate() == 1;
    }
  }

  /**
   * Records where items were last placed (their terminal results carry it).
   *
   * @param placementJson item ID → its placement as JSON
   */
  public void setPlacements(Connection connection, Map<Long, String> placementJson)
      throws SQLException {
    try (PreparedStatement update = connection.prepareStatement(PLACEMENT)) {
      for (Map.Entry<Long, String> placement : placementJson.entrySet()) {
        update.setString(1, placement.getValue());
        update.setLong(2, placement.getKey());
        update.addBatch();
      }
      update.executeBatch();
    }
  }

  /**
   * Items whose deadline is at or before {@code before}, soonest first: pending ones, and those in
   * a batch whose deadline has not passed yet at {@code now}.
   */
  public List<StoredItem> deadlineDue(Connection connection, Instant before, Instant now, int limit)
      throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(DEADLINE_DUE)) {
      select.setObject(1, at(before));
      select.setObject(2, at(now));
      select.setInt(3, limit);
      return storedItems(select);
    }
  }

  /** One item with its task, if it exists. */
  public Optional<StoredItem> stored(Connection connection, long itemId) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(STORED)) {
      select.setLong(1, itemId);
      return storedItems(select).stream().findFirst();
    }
  }

  /**
   * {@code PENDING} or {@code IN_BATCH} → {@code FALLING_BACK}: the item is to be produced to a
   * realtime lane and is never submitted again.
   *
   * @return whether it was still in {@code from}
   */
  public boolean fallBack(Connection connection, long itemId, ItemState from, Instant now)
      throws SQLException {
    try (PreparedStatement update = connection.prepareStatement(FALL_BACK)) {
      update.setObject(1, at(now));
      update.setLong(2, itemId);
      update.setString(3, from.name());
      return update.executeUpdate() == 1;
    }
  }

  /** Items recorded as falling back whose task is yet to be produced to the realtime lane. */
  public List<FallingBack> fallingBack(Connection connection, int limit) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(FALLING_BACK)) {
      select.setInt(1, limit);
      List<FallingBack> items = new ArrayList<>();
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          items.add(
              new FallingBack(rows.getLong("item_id"), StoredJson.task(rows.getString("task"))));
        }
      }
      return items;
    }
  }

  /** {@code FALLING_BACK} → {@code FALLEN_BACK}: the realtime lane has the tasks. */
  public void markFallenBack(Connection connection, List<Long> itemIds, Instant now)
      throws SQLException {
    try (PreparedStatement update = connection.prepareStatement(FALLEN_BACK)) {
      update.setObject(1, at(now));
      update.setArray(2, ids(connection, itemIds));
      update.executeUpdate();
    }
  }

  /**
   * Drops every unfinished item of a cancelled job: a pending one is never submitted, the line of
   * one in an unfinished batch is ignored when it returns, one falling back is not produced.
   *
   * @return how many items were dropped
   */
  public int cancelJob(Connection connection, String jobId, Instant now) throws SQLException {
    try (PreparedStatement update = connection.prepareStatement(CANCEL_JOB)) {
      update.setObject(1, at(now));
      update.setString(2, jobId);
      return update.executeUpdate();
    }
  }

  /**
   * Records that the job was cancelled, so that a task of it that comes later is dropped too, and
   * drops its unfinished items ({@link #cancelJob}).
   *
   * @return how many items were dropped
   */
  public int recordCancel(Connection connection, String jobId, Instant now) throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement(RECORD_CANCEL)) {
      insert.setString(1, jobId);
      insert.setObject(2, at(now));
      insert.executeUpdate();
    }
    return cancelJob(connection, jobId, now);
  }

  /** Those of {@code jobIds} whose cancel was recorded. */
  public Set<String> cancelledAmong(Connection connection, Collection<String> jobIds)
      throws SQLException {
    Set<String> cancelled = new HashSet<>();
    if (jobIds.isEmpty()) {
      return cancelled;
    }
    try (PreparedStatement select = connection.prepareStatement(CANCELLED_AMONG)) {
      select.setArray(1, connection.createArrayOf("text", jobIds.toArray()));
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          cancelled.add(rows.getString(1));
        }
      }
    }
    return cancelled;
  }

  /** Forgets cancels recorded before {@code before}. */
  public int forgetCancelsBefore(Connection connection, Instant before) throws SQLException {
    try (PreparedStatement delete = connection.prepareStatement(FORGET_CANCELS)) {
      delete.setObject(1, at(before));
      return delete.executeUpdate();
    }
  }

  /** Stores an item's final result, to be published. */
  public void complete(
      Connection connection,
      long itemId,
      String batchId,
      String resultJson,
      String errorCode,
      Instant now)
      throws SQLException {
    try (PreparedStatement update = connection.prepareStatement(COMPLETE)) {
      update.setString(1, resultJson);
      update.setString(2, errorCode);
      update.setObject(3, at(now));
      update.setLong(4, itemId);
      update.setString(5, batchId);
      update.executeUpdate();
    }
  }

  /** Results decided but not yet published, oldest first. */
  public List<ReadyResult> ready(Connection connection, int limit) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(DONE)) {
      select.setInt(1, limit);
      List<ReadyResult> results = new ArrayList<>();
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          results.add(
              new ReadyResult(
                  rows.getLong("item_id"), rows.getString("job_id"), rows.getString("result")));
        }
      }
      return results;
    }
  }

  /** Marks results as published. */
  public void markPublished(Connection connection, List<Long> itemIds, Instant now)
      throws SQLException {
    try (PreparedStatement update = connection.prepareStatement(PUBLISHED)) {
      update.setObject(1, at(now));
      update.setArray(2, ids(connection, itemIds));
      update.executeUpdate();
    }
  }

  /** How many items are in each state. */
  public Map<ItemState, Long> countByState(Connection connection) throws SQLException {
    Map<ItemState, Long> counts = new EnumMap<>(ItemState.class);
    for (ItemState state : ItemState.values()) {
      counts.put(state, 0L);
    }
    try (PreparedStatement select = connection.prepareStatement(COUNT_BY_STATE);
        ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        counts.put(ItemState.valueOf(rows.getString("state")), rows.getLong("n"));
      }
    }
    return counts;
  }

  /** The estimated input tokens of the items in provider batches now (their queues' use). */
  public long enqueuedTokens(Connection connection) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(ENQUEUED_TOKENS);
        ResultSet rows = select.executeQuery()) {
      rows.next();
      return rows.getLong(1);
    }
  }

  /** Where one task is, if the deferred lane has it. */
  public Optional<ItemView> find(Connection connection, String taskId) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(BY_TASK)) {
      select.setString(1, taskId);
      try (ResultSet rows = select.executeQuery()) {
        if (!rows.next()) {
          return Optional.empty();
        }
        return Optional.of(
            new ItemView(
                taskId,
                ItemState.valueOf(rows.getString("state")),
                rows.getInt("attempts"),
                rows.getString("batch_id"),
                rows.getString("last_error_code")));
      }
    }
  }

  private static List<StoredItem> storedItems(PreparedStatement select) throws SQLException {
    List<StoredItem> items = new ArrayList<>();
    try (ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        items.add(
            new StoredItem(
                rows.getLong("item_id"),
                ItemState.valueOf(rows.getString("state")),
                StoredJson.task(rows.getString("task")),
                rows.getInt("attempts"),
                instant(rows, "received_at"),
                instant(rows, "deadline"),
                StoredJson.placement(rows.getString("placement"))));
      }
    }
    return items;
  }

  private static Array ids(Connection connection, List<Long> itemIds) throws SQLException {
    return connection.createArrayOf("bigint", itemIds.toArray());
  }

  /**
   * An item with its task, as the deadline sweep sees it.
   *
   * @param attempts provider batches it has been in
   * @param placement where it was last placed, or {@code null}
   */
  public record StoredItem(
      long itemId,
      ItemState state,
      Task task,
      int attempts,
      Instant receivedAt,
      Instant deadline,
      Placement placement) {}

  /** An item whose task is to be produced to a realtime lane. */
  public record FallingBack(long itemId, Task task) {}

  /** A decided result waiting to be published. */
  public record ReadyResult(long itemId, String jobId, String resultJson) {}

  /**
   * Where one deferred task is.
   *
   * @param batchId Sluice's batch it is or was last in, or {@code null}
   * @param lastErrorCode why its last attempt did not finish it, or {@code null}
   */
  public record ItemView(
      String taskId, ItemState state, int attempts, String batchId, String lastErrorCode) {}
}
