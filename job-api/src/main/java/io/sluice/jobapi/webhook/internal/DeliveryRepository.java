package io.sluice.jobapi.webhook.internal;

import io.sluice.jobapi.store.Sql;
import io.sluice.jobapi.webhook.Delivery;
import io.sluice.jobapi.webhook.DeliveryStatus;
import io.sluice.jobapi.webhook.EventType;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * All SQL on {@code webhook_deliveries}. A sender claims due deliveries with {@code FOR UPDATE SKIP
 * LOCKED} (several job-api instances send side by side) and leases them by moving {@code
 * next_attempt_at} past the send; a sender that dies leaves them to be claimed again when the lease
 * ends. Only the holder of the claim token records the result.
 */
final class DeliveryRepository {
  private static final String COLUMNS =
      "id, endpoint_id, url, job_id, event_type, status, attempts, next_attempt_at, last_error,"
          + " created_at, updated_at";

  // endpoint_id = ?, or any destination (a one-off webhook's null too) when the parameter is null
  private static final String ANY_DESTINATION =
      "endpoint_id IS NOT DISTINCT FROM coalesce(?, endpoint_id)";

  // Per endpoint that may be sent to now, its oldest due deliveries: the endpoints are few, and a
  // backlog of a disabled, paused or busy endpoint is never read.
  private static final String DUE_FOR_ENDPOINTS =
      "SELECT d.id, d.tenant_id, d.endpoint_id, e.url AS target_url, d.payload, d.attempts,"
          + " d.next_attempt_at, e.failing_since, e.secret, e.previous_secret,"
          + " e.previous_secret_expires_at"
          + " FROM webhook_endpoints e CROSS JOIN LATERAL ("
          + "   SELECT id, tenant_id, endpoint_id, payload, attempts, next_attempt_at"
          + "   FROM webhook_deliveries"
          + "   WHERE endpoint_id = e.id AND status IN ('pending', 'failed')"
          + "   AND next_attempt_at <= ?"
          + "   ORDER BY next_attempt_at LIMIT ? FOR UPDATE SKIP LOCKED) d"
          + " WHERE e.enabled AND (e.paused_until IS NULL OR e.paused_until <= ?)"
          + " AND NOT (e.id = ANY (?))"
          + " ORDER BY d.next_attempt_at LIMIT ?";

  private static final String DUE_ONE_OFF =
      "SELECT d.id, d.tenant_id, d.endpoint_id, d.url AS target_url, d.payload, d.attempts,"
          + " d.next_attempt_at, NULL::timestamptz AS failing_since, t.secret, t.previous_secret,"
          + " t.previous_secret_expires_at"
          + " FROM webhook_deliveries d"
          + " LEFT JOIN webhook_tenant_secrets t ON t.tenant_id = d.tenant_id"
          + " WHERE d.endpoint_id IS NULL AND d.status IN ('pending', 'failed')"
          + " AND d.next_attempt_at <= ? AND NOT (d.url = ANY (?))"
          + " ORDER BY d.next_attempt_at LIMIT ? FOR UPDATE OF d SKIP LOCKED";

  /**
   * A delivery claimed for sending.
   *
   * @param id the webhook-id
   * @param tenantId its tenant
   * @param endpointId its endpoint, or {@code null} for a one-off webhook
   * @param url where to send it
   * @param payload the body
   * @param attempts attempts made before this one
   * @param failingSince when the endpoint's run of failures began, or {@code null}
   * @param keys the secrets that sign it (encrypted), or {@code null} when there are none
   */
  record Claimed(
      String id,
      String tenantId,
      String endpointId,
      String url,
      String payload,
      int attempts,
      Instant failingSince,
      StoredKeys keys) {

    /** Deliveries to one endpoint (or one one-off URL) share its concurrency limit. */
    String target() {
      return endpointId == null ? url : endpointId;
    }
  }

  void insert(
      Connection c,
      String id,
      String tenantId,
      String endpointId,
      String url,
      String jobId,
      EventType type,
      String payload,
      Instant now)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO webhook_deliveries (id, tenant_id, endpoint_id, url, job_id, event_type,"
                + " payload, status, attempts, next_attempt_at, created_at, updated_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?, ?)")) {
      s.setString(1, id);
      s.setString(2, tenantId);
      s.setString(3, endpointId);
      s.setString(4, url);
      s.setString(5, jobId);
      s.setString(6, type.wireName());
      s.setString(7, payload);
      Sql.setInstant(s, 8, now);
      Sql.setInstant(s, 9, now);
      Sql.setInstant(s, 10, now);
      s.executeUpdate();
    }
  }

  /**
   * One delivery per enabled endpoint of the tenant that receives {@code type}, in one statement
   * (one round trip inside the projection's transaction); IDs are {@code msg_} and a random UUID's
   * 32 hex digits. Returns how many.
   */
  int insertForSubscribers(
      Connection c, String tenantId, String jobId, EventType type, String payload, Instant now)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO webhook_deliveries (id, tenant_id, endpoint_id, job_id, event_type,"
                + " payload, status, attempts, next_attempt_at, created_at, updated_at)"
                + " SELECT 'msg_' || replace(gen_random_uuid()::text, '-', ''), e.tenant_id, e.id,"
                + " ?, ?, ?, 'pending', 0, ?, ?, ? FROM webhook_endpoints e"
                + " WHERE e.tenant_id = ? AND e.enabled"
                + " AND e.event_types::jsonb @> jsonb_build_array(?::text)")) {
      s.setString(1, jobId);
      s.setString(2, type.wireName());
      s.setString(3, payload);
      Sql.setInstant(s, 4, now);
      Sql.setInstant(s, 5, now);
      Sql.setInstant(s, 6, now);
      s.setString(7, tenantId);
      s.setString(8, type.wireName());
      return s.executeUpdate();
    }
  }

  /**
   * Due deliveries, locked until the transaction ends: at most {@code perTarget} per endpoint (or
   * one-off URL) and {@code limit} of each kind, oldest due first; skips rows other senders hold,
   * disabled or paused endpoints, and the targets in {@code busy}.
   */
  List<Claimed> lockDue(
      Connection c, Instant now, Collection<String> busy, int perTarget, int limit)
      throws SQLException {
    List<Claimed> due = new ArrayList<>();
    try (PreparedStatement s = c.prepareStatement(DUE_FOR_ENDPOINTS)) {
      Sql.setInstant(s, 1, now);
      s.setInt(2, perTarget);
      Sql.setInstant(s, 3, now);
      s.setArray(4, c.createArrayOf("text", busy.toArray()));
      s.setInt(5, limit);
      readClaimed(s, due);
    }
    try (PreparedStatement s = c.prepareStatement(DUE_ONE_OFF)) {
      Sql.setInstant(s, 1, now);
      s.setArray(2, c.createArrayOf("text", busy.toArray()));
      s.setInt(3, limit);
      readClaimed(s, due);
    }
    return due;
  }

  private static void readClaimed(PreparedStatement s, List<Claimed> into) throws SQLException {
    try (ResultSet row = s.executeQuery()) {
      while (row.next()) {
        into.add(toClaimed(row));
      }
    }
  }

  /** Leases the deliveries to the holder of {@code token} until {@code until}. */
  void lease(Connection c, List<String> ids, String token, Instant until, Instant now)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE webhook_deliveries SET next_attempt_at = ?, claim_token = ?, updated_at = ?"
                + " WHERE id = ANY (?)")) {
      Sql.setInstant(s, 1, until);
      s.setString(2, token);
      Sql.setInstant(s, 3, now);
      s.setArray(4, c.createArrayOf("text", ids.toArray()));
      s.executeUpdate();
    }
  }

  /**
   * Records many attempts' results in one statement, each only if its claim is still its sender's
   * token (a replay, or another sender after the lease ended, took it over otherwise); returns how
   * many it recorded.
   */
  int recordResults(Connection c, List<SendResult> results) throws SQLException {
    int n = results.size();
    String[] ids = new String[n];
    String[] tokens = new String[n];
    String[] statuses = new String[n];
    Integer[] attempts = new Integer[n];
    String[] nextAttemptAt = new String[n];
    String[] errors = new String[n];
    String[] updatedAt = new String[n];
    for (int i = 0; i < n; i++) {
      SendResult result = results.get(i);
      ids[i] = result.delivery().id();
      tokens[i] = result.token();
      statuses[i] = result.decision().status().wireName();
      attempts[i] = result.attemptsMade();
      Instant next = result.decision().nextAttemptAt();
      nextAttemptAt[i] = next == null ? null : next.toString();
      errors[i] = result.attempt().error();
      updatedAt[i] = result.attempt().attemptedAt().toString();
    }
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE webhook_deliveries d SET status = r.status, attempts = r.attempts,"
                + " next_attempt_at = r.next_attempt_at, last_error = r.error,"
                + " claim_token = NULL, updated_at = r.at"
                + " FROM unnest(?::text[], ?::text[], ?::text[], ?::integer[], ?::timestamptz[],"
                + " ?::text[], ?::timestamptz[])"
                + " AS r(id, token, status, attempts, next_attempt_at, error, at)"
                + " WHERE d.id = r.id AND d.claim_token = r.token")) {
      s.setArray(1, c.createArrayOf("text", ids));
      s.setArray(2, c.createArrayOf("text", tokens));
      s.setArray(3, c.createArrayOf("text", statuses));
      s.setArray(4, c.createArrayOf("int4", attempts));
      s.setArray(5, c.createArrayOf("text", nextAttemptAt));
      s.setArray(6, c.createArrayOf("text", errors));
      s.setArray(7, c.createArrayOf("text", updatedAt));
      return s.executeUpdate();
    }
  }

  /** Ends the claims of deliveries that were not sent: due at {@code now}, attempts unchanged. */
  void giveBack(Connection c, List<String> ids, List<String> tokens, Instant now)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE webhook_deliveries d SET next_attempt_at = ?, claim_token = NULL,"
                + " updated_at = ? FROM unnest(?::text[], ?::text[]) AS r(id, token)"
                + " WHERE d.id = r.id AND d.claim_token = r.token")) {
      Sql.setInstant(s, 1, now);
      Sql.setInstant(s, 2, now);
      s.setArray(3, c.createArrayOf("text", ids.toArray()));
      s.setArray(4, c.createArrayOf("text", tokens.toArray()));
      s.executeUpdate();
    }
  }

  List<Delivery> list(Connection c, String tenantId, String endpointId, int limit)
      throws SQLException {
    return query(
        c,
        "SELECT "
            + COLUMNS
            + " FROM webhook_deliveries WHERE tenant_id = ? AND endpoint_id = ?"
            + " ORDER BY created_at DESC, id DESC LIMIT "
            + limit,
        tenantId,
        endpointId);
  }

  /** Every delivery of a job, oldest first; the job has one per subscribed endpoint at most. */
  List<Delivery> ofJob(Connection c, String tenantId, String jobId) throws SQLException {
    return query(
        c,
        "SELECT "
            + COLUMNS
            + " FROM webhook_deliveries WHERE tenant_id = ? AND job_id = ?"
            + " ORDER BY created_at, id LIMIT 1000",
        tenantId,
        jobId);
  }

  /**
   * The tenant's delivery, to {@code endpointId}; to any destination (a one-off webhook's too) when
   * {@code endpointId} is {@code null}.
   */
  Optional<Delivery> find(Connection c, String tenantId, String endpointId, String id)
      throws SQLException {
    return query(
            c,
            "SELECT "
                + COLUMNS
                + " FROM webhook_deliveries"
                + " WHERE id = ? AND tenant_id = ? AND "
                + ANY_DESTINATION,
            id,
            tenantId,
            endpointId)
        .stream()
        .findFirst();
  }

  /**
   * Makes the delivery due now on a fresh schedule; returns whether it exists. {@code endpointId}
   * as for {@link #find}.
   */
  boolean replay(Connection c, String tenantId, String endpointId, String id, Instant now)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = ?,"
                + " claim_token = NULL, updated_at = ?"
                + " WHERE id = ? AND tenant_id = ? AND "
                + ANY_DESTINATION)) {
      Sql.setInstant(s, 1, now);
      Sql.setInstant(s, 2, now);
      s.setString(3, id);
      s.setString(4, tenantId);
      s.setString(5, endpointId);
      return s.executeUpdate() == 1;
    }
  }

  /** Replays the endpoint's failed and dead deliveries created at or after {@code since}. */
  int replaySince(Connection c, String tenantId, String endpointId, Instant since, Instant now)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = ?,"
                + " claim_token = NULL, updated_at = ?"
                + " WHERE tenant_id = ? AND endpoint_id = ? AND status IN ('failed', 'dead')"
                + " AND created_at >= ?")) {
      Sql.setInstant(s, 1, now);
      Sql.setInstant(s, 2, now);
      s.setString(3, tenantId);
      s.setString(4, endpointId);
      Sql.setInstant(s, 5, since);
      return s.executeUpdate();
    }
  }

  /**
   * Deletes at most {@code limit} succeeded or dead deliveries last changed before {@code cutoff}
   * (their attempts go with them), skipping rows another transaction holds; returns how many.
   */
  int deleteFinished(Connection c, Instant cutoff, int limit) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "DELETE FROM webhook_deliveries WHERE id IN (SELECT id FROM webhook_deliveries"
                + " WHERE status IN ('succeeded', 'dead') AND updated_at < ?"
                + " LIMIT ? FOR UPDATE SKIP LOCKED)")) {
      Sql.setInstant(s, 1, cutoff);
      s.setInt(2, limit);
      return s.executeUpdate();
    }
  }

  private static List<Delivery> query(Connection c, String sql, String... parameters)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        s.setString(i + 1, parameters[i]);
      }
      List<Delivery> found = new ArrayList<>();
      try (ResultSet row = s.executeQuery()) {
        while (row.next()) {
          found.add(toDelivery(row));
        }
      }
      return found;
    }
  }

  private static Delivery toDelivery(ResultSet row) throws SQLException {
    DeliveryStatus status = DeliveryStatus.fromWire(row.getString("status")).orElseThrow();
    boolean scheduled = status == DeliveryStatus.PENDING || status == DeliveryStatus.FAILED;
    return new Delivery(
        row.getString("id"),
        row.getString("endpoint_id"),
        row.getString("url"),
        row.getString("job_id"),
        EventType.fromWire(row.getString("event_type")).orElseThrow(),
        status,
        row.getInt("attempts"),
        scheduled ? Sql.getInstant(row, "next_attempt_at") : null,
        row.getString("last_error"),
        Sql.getInstant(row, "created_at"),
        Sql.getInstant(row, "updated_at"));
  }

  private static Claimed toClaimed(ResultSet row) throws SQLException {
    String endpointId = row.getString("endpoint_id");
    String tenantId = row.getString("tenant_id");
    byte[] secret = row.getBytes("secret");
    return new Claimed(
        row.getString("id"),
        tenantId,
        endpointId,
        row.getString("target_url"),
        row.getString("payload"),
        row.getInt("attempts"),
        Sql.getInstant(row, "failing_since"),
        secret == null
            ? null
            : new StoredKeys(
                endpointId == null ? tenantId : endpointId,
                secret,
                row.getBytes("previous_secret"),
                Sql.getInstant(row, "previous_secret_expires_at")));
  }
}
