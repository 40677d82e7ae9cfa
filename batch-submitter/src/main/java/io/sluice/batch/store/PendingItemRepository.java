package io.sluice.batch.store;

import static io.sluice.batch.store.BatchDatabase.at;
import static io.sluice.batch.store.BatchDatabase.instant;

import io.sluice.batch.plan.GroupKey;
import io.sluice.batch.plan.GroupSummary;
import io.sluice.batch.plan.ItemState;
import io.sluice.batch.plan.PendingItem;
import io.sluice.schemas.task.Task;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** All SQL of {@code batch_submitter.pending_item}: one row per deferred task. */
public final class PendingItemRepository {
  private static final String INSERT =
      "INSERT INTO batch_submitter.pending_item (task_id, job_id, provider, model, task,"
          + " line_bytes, state, attempts, max_batch_lines, deadline, received_at, eligible_at,"
          + " updated_at) VALUES (?, ?, ?, ?, ?::jsonb, ?, 'PENDING', 0, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (task_id) DO NOTHING";
  private static final String WAITING_GROUPS =
      "SELECT DISTINCT provider, model FROM batch_submitter.pending_item"
          + " WHERE state = 'PENDING' AND eligible_at <= ?";
  private static final String WAITING =
      "SELECT item_id, provider, model, line_bytes, eligible_at, deadline, attempts,"
          + " max_batch_lines FROM batch_submitter.pending_item"
          + " WHERE state = 'PENDING' AND provider = ? AND model = ? AND eligible_at <= ?"
          + " ORDER BY (max_batch_lines < ?) DESC, eligible_at, item_id LIMIT ?";
  private static final String SUMMARY =
      "SELECT count(*) AS n, coalesce(sum(line_bytes), 0) AS bytes, min(eligible_at) AS oldest,"
          + " min(deadline) AS deadline, coalesce(bool_or(max_batch_lines < ?), false) AS restricted"
          + " FROM batch_submitter.pending_item"
          + " WHERE state = 'PENDING' AND provider = ? AND model = ? AND eligible_at <= ?";
  private static final String ASSIGN =
      "UPDATE batch_submitter.pending_item SET state = 'IN_BATCH', attempts = attempts + 1,"
          + " batch_id = ?, updated_at = ? WHERE item_id = ANY (?) AND state = 'PENDING'";
  private static final String RESUBMIT =
      "UPDATE batch_submitter.pending_item SET state = 'PENDING', max_batch_lines = ?,"
          + " eligible_at = ?, last_error_code = ?, updated_at = ?"
          + " WHERE item_id = ? AND state = 'IN_BATCH' AND batch_id = ?";
  private static final String COMPLETE =
      "UPDATE batch_submitter.pending_item SET state = 'DONE', result = ?::jsonb,"
          + " last_error_code = ?, updated_at = ?"
          + " WHERE item_id = ? AND state = 'IN_BATCH' AND batch_id = ?";
  private static final String DONE =
      "SELECT item_id, job_id, result::text AS result FROM batch_submitter.pending_item"
          + " WHERE state = 'DONE' ORDER BY item_id LIMIT ?";
  private static final String PUBLISHED =
      "UPDATE batch_submitter.pending_item SET state = 'PUBLISHED', updated_at = ?"
          + " WHERE item_id = ANY (?) AND state = 'DONE'";
  private static final String COUNT_BY_STATE =
      "SELECT state, count(*) AS n FROM batch_submitter.pending_item GROUP BY state";
  private static final String BY_TASK =
      "SELECT state, attempts, batch_id, last_error_code FROM batch_submitter.pending_item"
          + " WHERE task_id = ?";

  /**
   * Records a deferred task as pending, once: a task already known (a redelivered record) is left
   * as it is.
   *
   * @return whether it was new
   */
  public boolean insertIfAbsent(
      Connection connection, Task task, String taskJson, long lineBytes, Instant now)
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
      return insert.executeUpdate() == 1;
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

  /** Counts and bounds of a group's eligible pending items, without reading them. */
  public GroupSummary summary(Connection connection, GroupKey group, Instant now)
      throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(SUMMARY)) {
      select.setInt(1, PendingItem.ANY_SIZE);
      select.setString(2, group.provider());
      select.setString(3, group.model());
      select.setObject(4, at(now));
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
   * @param limit the most rows to read (one batch's worth is enough)
   */
  public List<PendingItem> waiting(Connection connection, GroupKey group, Instant now, int limit)
      throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(WAITING)) {
      select.setString(1, group.provider());
      select.setString(2, group.model());
      select.setObject(3, at(now));
      select.setInt(4, PendingItem.ANY_SIZE);
      select.setInt(5, limit);
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
                  rows.getInt("max_batch_lines")));
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

  private static Array ids(Connection connection, List<Long> itemIds) throws SQLException {
    return connection.createArrayOf("bigint", itemIds.toArray());
  }

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
