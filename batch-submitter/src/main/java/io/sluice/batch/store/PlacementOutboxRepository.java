package io.sluice.batch.store;

import io.sluice.schemas.task.TaskResult;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * All SQL of {@code batch_submitter.placement_outbox}: placed results ({@code TaskResult.placed})
 * recorded in the same transaction as the move they announce, published in order, then deleted.
 */
public final class PlacementOutboxRepository {
  private static final String INSERT =
      "INSERT INTO batch_submitter.placement_outbox (item_id, job_id, result)"
          + " VALUES (?, ?, ?::jsonb)";
  private static final String NEXT =
      "SELECT seq, job_id, result::text AS result FROM batch_submitter.placement_outbox"
          + " ORDER BY seq LIMIT ?";
  private static final String DELETE =
      "DELETE FROM batch_submitter.placement_outbox WHERE seq = ANY (?)";

  /**
   * Records placed results to publish, in the given order.
   *
   * @param placed item ID → its placed result
   */
  public void insert(Connection connection, Map<Long, TaskResult> placed) throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
      for (Map.Entry<Long, TaskResult> entry : placed.entrySet()) {
        insert.setLong(1, entry.getKey());
        insert.setString(2, entry.getValue().jobId());
        insert.setString(3, StoredJson.write(entry.getValue()));
        insert.addBatch();
      }
      insert.executeBatch();
    }
  }

  /** The oldest placements not yet published, in the order they were recorded. */
  public List<OutgoingPlacement> next(Connection connection, int limit) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(NEXT)) {
      select.setInt(1, limit);
      List<OutgoingPlacement> placements = new ArrayList<>();
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          placements.add(
              new OutgoingPlacement(
                  rows.getLong("seq"), rows.getString("job_id"), rows.getString("result")));
        }
      }
      return placements;
    }
  }

  /** Forgets placements Kafka has acknowledged. */
  public void delete(Connection connection, List<Long> seqs) throws SQLException {
    try (PreparedStatement delete = connection.prepareStatement(DELETE)) {
      Array array = connection.createArrayOf("bigint", seqs.toArray());
      delete.setArray(1, array);
      delete.executeUpdate();
    }
  }

  /** A placed result waiting to be published. */
  public record OutgoingPlacement(long seq, String jobId, String resultJson) {}
}
