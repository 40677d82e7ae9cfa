package io.sluice.batch.store;

import static io.sluice.batch.store.BatchDatabase.instant;

import io.sluice.batch.plan.BatchIds;
import io.sluice.batch.plan.ItemState;
import io.sluice.batch.plan.PendingItem;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** All SQL of {@code batch_submitter.batch_member}: which item is which line of which batch. */
public final class BatchMemberRepository {
  private static final String INSERT =
      "INSERT INTO batch_submitter.batch_member (batch_id, custom_id, item_id, attempt)"
          + " VALUES (?, ?, ?, ?)";
  private static final String MEMBERS =
      "SELECT m.custom_id, m.item_id, m.attempt, p.task::text AS task, p.received_at, p.state,"
          + " p.placement::text AS placement, (p.batch_id = m.batch_id AND p.state IN"
          + " ('IN_BATCH', 'FALLING_BACK', 'FALLEN_BACK')) AS current"
          + " FROM batch_submitter.batch_member m"
          + " JOIN batch_submitter.pending_item p ON p.item_id = m.item_id"
          + " WHERE m.batch_id = ? ORDER BY m.item_id";
  private static final String OUTCOME =
      "UPDATE batch_submitter.batch_member SET outcome = ? WHERE batch_id = ? AND custom_id = ?";

  /** Records the lines of a planned batch; each item's attempt is its count after this one. */
  public void insert(Connection connection, String batchId, List<PendingItem> items)
      throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
      for (PendingItem item : items) {
        insert.setString(1, batchId);
        insert.setString(2, BatchIds.customId(batchId, item.itemId()));
        insert.setLong(3, item.itemId());
        insert.setInt(4, item.attempts() + 1);
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }

  /** The lines of a batch with their tasks, in item order. */
  public List<BatchMember> members(Connection connection, String batchId) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(MEMBERS)) {
      select.setString(1, batchId);
      List<BatchMember> members = new ArrayList<>();
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          members.add(
              new BatchMember(
                  rows.getString("custom_id"),
                  rows.getLong("item_id"),
                  rows.getInt("attempt"),
                  StoredJson.task(rows.getString("task")),
                  instant(rows, "received_at"),
                  rows.getBoolean("current"),
                  ItemState.valueOf(rows.getString("state")),
                  StoredJson.placement(rows.getString("placement"))));
        }
      }
      return members;
    }
  }

  /** Records how a line ended ({@code succeeded}, {@code resubmitted}, {@code failed}, …). */
  public void recordOutcome(Connection connection, String batchId, String customId, String outcome)
      throws SQLException {
    try (PreparedStatement update = connection.prepareStatement(OUTCOME)) {
      update.setString(1, outcome);
      update.setString(2, batchId);
      update.setString(3, customId);
      update.executeUpdate();
    }
  }
}
