package io.sluice.batch.store;

import static io.sluice.batch.store.BatchDatabase.at;
import static io.sluice.batch.store.BatchDatabase.instant;

import io.sluice.batch.plan.BatchPhase;
import io.sluice.batch.plan.GroupKey;
import io.sluice.batch.plan.IllegalBatchTransitionException;
import io.sluice.batch.plan.QueueUsage;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * All SQL of {@code batch_submitter.provider_batch}: one row per provider batch Sluice planned.
 * Each phase change is checked against {@link BatchPhase}'s table and stamps that phase's time.
 */
public final class ProviderBatchRepository {
  private static final String COLUMNS =
      "batch_id, provider, model, line_count, phase, provider_batch_id, planned_at, submitting_at";
  private static final String INSERT =
      "INSERT INTO batch_submitter.provider_batch (batch_id, provider, model, line_count, phase,"
          + " planned_at, queued_tokens) VALUES (?, ?, ?, ?, 'PLANNED', ?, ?)";
  private static final String UNFINISHED = "phase IN ('PLANNED', 'SUBMITTING', 'SUBMITTED')";
  private static final String QUEUE_USAGE =
      "SELECT"
          + " coalesce(sum(queued_tokens) FILTER (WHERE model = ? AND "
          + UNFINISHED
          + "), 0) AS tokens,"
          + " coalesce(sum(line_count) FILTER (WHERE "
          + UNFINISHED
          + "), 0) AS requests,"
          + " count(*) FILTER (WHERE submitted_at > ? OR phase IN ('PLANNED', 'SUBMITTING'))"
          + " AS creations,"
          + " max(failed_at) FILTER (WHERE refused_for_room AND model = ?) AS last_refusal,"
          + " count(*) FILTER (WHERE refused_for_room AND model = ? AND failed_at > ?)"
          + " AS refusals"
          + " FROM batch_submitter.provider_batch WHERE provider = ?"
          + " AND ("
          + UNFINISHED
          + " OR submitted_at > ? OR failed_at > ?)";
  private static final String IN_PHASE =
      "SELECT "
          + COLUMNS
          + " FROM batch_submitter.provider_batch WHERE phase = ? ORDER BY planned_at";
  private static final String DUE_FOR_POLL =
      "SELECT "
          + COLUMNS
          + " FROM batch_submitter.provider_batch WHERE phase = 'SUBMITTED' AND next_poll_at <= ?"
          + " ORDER BY next_poll_at";
  private static final String FIND =
      "SELECT " + COLUMNS + " FROM batch_submitter.provider_batch WHERE batch_id = ?";
  private static final String PROVIDER_IDS =
      "SELECT provider_batch_id FROM batch_submitter.provider_batch"
          + " WHERE provider = ? AND provider_batch_id IS NOT NULL";
  private static final String SCHEDULE_POLL =
      "UPDATE batch_submitter.provider_batch SET provider_status = ?, next_poll_at = ?"
          + " WHERE batch_id = ? AND phase = 'SUBMITTED'";
  private static final String PUBLISH_FINISHED =
      "UPDATE batch_submitter.provider_batch b SET phase = 'PUBLISHED', published_at = ?"
          + " WHERE b.phase = 'COLLECTED' AND NOT EXISTS (SELECT 1 FROM batch_submitter.batch_member m"
          + " JOIN batch_submitter.pending_item p ON p.item_id = m.item_id"
          + " WHERE m.batch_id = b.batch_id AND p.batch_id = b.batch_id AND p.state = 'DONE')";
  private static final String COUNT_BY_PHASE =
      "SELECT phase, count(*) AS n FROM batch_submitter.provider_batch GROUP BY phase";

  /**
   * Records a new batch in {@link BatchPhase#PLANNED}.
   *
   * @param queuedTokens the estimated prompt tokens of its lines (what it adds to the provider's
   *     batch queue)
   */
  public void insertPlanned(
      Connection connection,
      String batchId,
      GroupKey group,
      int lineCount,
      long queuedTokens,
      Instant now)
      throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement(INSERT)) {
      insert.setString(1, batchId);
      insert.setString(2, group.provider());
      insert.setString(3, group.model());
      insert.setInt(4, lineCount);
      insert.setObject(5, at(now));
      insert.setLong(6, queuedTokens);
      insert.executeUpdate();
    }
  }

  /**
   * What Sluice has in a provider's batch queue now, from its own records: the tokens of the
   * group's model and the requests of the whole account in batches not yet ended (planned, being
   * created, submitted), the account's batches created in the last hour, and the group's refusals
   * for room in the last hour.
   */
  public QueueUsage queueUsage(Connection connection, GroupKey group, Instant now)
      throws SQLException {
    Instant hourAgo = now.minus(Duration.ofHours(1));
    try (PreparedStatement select = connection.prepareStatement(QUEUE_USAGE)) {
      select.setString(1, group.model());
      select.setObject(2, at(hourAgo));
      select.setString(3, group.model());
      select.setString(4, group.model());
      select.setObject(5, at(hourAgo));
      select.setString(6, group.provider());
      select.setObject(7, at(hourAgo));
      select.setObject(8, at(hourAgo));
      try (ResultSet row = select.executeQuery()) {
        row.next();
        return new QueueUsage(
            row.getLong("tokens"),
            row.getLong("requests"),
            row.getLong("creations"),
            instant(row, "last_refusal"),
            row.getInt("refusals"));
      }
    }
  }

  /**
   * Moves a batch from one phase to the next and stamps the new phase's time.
   *
   * @throws IllegalBatchTransitionException when the move is not in the table, or the batch is no
   *     longer in {@code from}
   */
  public void move(
      Connection connection, String batchId, BatchPhase from, BatchPhase to, Instant now)
      throws SQLException {
    update(connection, batchId, from, to, "", now);
  }

  /** {@code SUBMITTING → SUBMITTED}: records the provider's ID and when to poll first. */
  public void recordSubmitted(
      Connection connection,
      String batchId,
      String providerBatchId,
      String providerStatus,
      Instant now,
      Instant firstPoll)
      throws SQLException {
    String set = ", provider_batch_id = ?, provider_status = ?, next_poll_at = ?";
    update(
        connection,
        batchId,
        BatchPhase.SUBMITTING,
        BatchPhase.SUBMITTED,
        set,
        now,
        providerBatchId,
        providerStatus,
        at(firstPoll));
  }

  /** {@code SUBMITTED → ENDED}, with the provider's final status. */
  public void recordEnded(Connection connection, String batchId, String providerStatus, Instant now)
      throws SQLException {
    update(
        connection,
        batchId,
        BatchPhase.SUBMITTED,
        BatchPhase.ENDED,
        ", provider_status = ?",
        now,
        providerStatus);
  }

  /** {@code → FAILED}, with the provider's (or Sluice's) code for why. */
  public void recordFailed(
      Connection connection, String batchId, BatchPhase from, String failureCode, Instant now)
      throws SQLException {
    update(connection, batchId, from, BatchPhase.FAILED, ", failure_code = ?", now, failureCode);
  }

  /**
   * {@code → FAILED} because the provider refused the batch for room in its queue (HTTP 429 at
   * create, {@code token_limit_exceeded}): counted for the group's back-off.
   */
  public void recordRefusedForRoom(
      Connection connection, String batchId, BatchPhase from, String failureCode, Instant now)
      throws SQLException {
    update(
        connection,
        batchId,
        from,
        BatchPhase.FAILED,
        ", failure_code = ?, refused_for_room = true",
        now,
        failureCode);
  }

  /** Records the provider's latest status of a batch still running and when to ask again. */
  public void schedulePoll(
      Connection connection, String batchId, String providerStatus, Instant nextPoll)
      throws SQLException {
    try (PreparedStatement update = connection.prepareStatement(SCHEDULE_POLL)) {
      update.setString(1, providerStatus);
      update.setObject(2, at(nextPoll));
      update.setString(3, batchId);
      update.executeUpdate();
    }
  }

  /** Batches in one phase, oldest first. */
  public List<StoredBatch> inPhase(Connection connection, BatchPhase phase) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(IN_PHASE)) {
      select.setString(1, phase.name());
      return read(select);
    }
  }

  /** Submitted batches whose next poll is due. */
  public List<StoredBatch> dueForPoll(Connection connection, Instant now) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(DUE_FOR_POLL)) {
      select.setObject(1, at(now));
      return read(select);
    }
  }

  public Optional<StoredBatch> find(Connection connection, String batchId) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(FIND)) {
      select.setString(1, batchId);
      return read(select).stream().findFirst();
    }
  }

  /** The provider batch IDs already adopted by some Sluice batch of this provider. */
  public Set<String> providerBatchIds(Connection connection, String provider) throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(PROVIDER_IDS)) {
      select.setString(1, provider);
      Set<String> ids = new HashSet<>();
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          ids.add(rows.getString(1));
        }
      }
      return ids;
    }
  }

  /**
   * {@code COLLECTED → PUBLISHED} for every batch none of whose results is still waiting.
   *
   * @return how many batches moved
   */
  public int markPublishedWhereDone(Connection connection, Instant now) throws SQLException {
    try (PreparedStatement update = connection.prepareStatement(PUBLISH_FINISHED)) {
      update.setObject(1, at(now));
      return update.executeUpdate();
    }
  }

  /** How many batches are in each phase. */
  public Map<BatchPhase, Long> countByPhase(Connection connection) throws SQLException {
    Map<BatchPhase, Long> counts = new EnumMap<>(BatchPhase.class);
    for (BatchPhase phase : BatchPhase.values()) {
      counts.put(phase, 0L);
    }
    try (PreparedStatement select = connection.prepareStatement(COUNT_BY_PHASE);
        ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        counts.put(BatchPhase.valueOf(rows.getString("phase")), rows.getLong("n"));
      }
    }
    return counts;
  }

  private static void update(
      Connection connection,
      String batchId,
      BatchPhase from,
      BatchPhase to,
      String extraSet,
      Instant now,
      Object... extra)
      throws SQLException {
    from.moveTo(to, batchId);
    String sql =
        "UPDATE batch_submitter.provider_batch SET phase = ?, "
            + timeColumn(to)
            + " = ?"
            + extraSet
            + " WHERE batch_id = ? AND phase = ?";
    try (PreparedStatement update = connection.prepareStatement(sql)) {
      int i = 1;
      update.setString(i++, to.name());
      update.setObject(i++, at(now));
      for (Object value : extra) {
        update.setObject(i++, value);
      }
      update.setString(i++, batchId);
      update.setString(i, from.name());
      if (update.executeUpdate() != 1) {
        throw new IllegalBatchTransitionException(batchId, from, to);
      }
    }
  }

  private static String timeColumn(BatchPhase phase) {
    return switch (phase) {
      case PLANNED -> "planned_at";
      case SUBMITTING -> "submitting_at";
      case SUBMITTED -> "submitted_at";
      case ENDED -> "ended_at";
      case COLLECTED -> "collected_at";
      case PUBLISHED -> "published_at";
      case FAILED -> "failed_at";
    };
  }

  private static List<StoredBatch> read(PreparedStatement select) throws SQLException {
    List<StoredBatch> batches = new ArrayList<>();
    try (ResultSet rows = select.executeQuery()) {
      while (rows.next()) {
        batches.add(
            new StoredBatch(
                rows.getString("batch_id"),
                new GroupKey(rows.getString("provider"), rows.getString("model")),
                rows.getInt("line_count"),
                BatchPhase.valueOf(rows.getString("phase")),
                rows.getString("provider_batch_id"),
                instant(rows, "planned_at"),
                instant(rows, "submitting_at")));
      }
    }
    return batches;
  }
}
