package io.sluice.jobapi.webhook.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.jobapi.store.Sql;
import io.sluice.jobapi.webhook.EventType;
import io.sluice.jobapi.webhook.WebhookEndpoint;
import io.sluice.schemas.json.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** All SQL on {@code webhook_endpoints}. */
final class EndpointRepository {
  private static final ObjectMapper JSON = Json.mapper();
  private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};
  private static final String COLUMNS =
      "id, tenant_id, url, event_types, description, enabled, disabled_reason, disabled_at,"
          + " created_at, updated_at, secret, previous_secret, previous_secret_expires_at";

  /** An endpoint with its encrypted secrets. */
  record Stored(WebhookEndpoint endpoint, StoredKeys keys) {}

  void insert(Connection c, WebhookEndpoint e, byte[] secret) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO webhook_endpoints (id, tenant_id, url, event_types, description,"
                + " enabled, secret, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      s.setString(1, e.id());
      s.setString(2, e.tenantId());
      s.setString(3, e.url());
      s.setString(4, typesJson(e.eventTypes()));
      s.setString(5, e.description());
      s.setBoolean(6, e.enabled());
      s.setBytes(7, secret);
      Sql.setInstant(s, 8, e.createdAt());
      Sql.setInstant(s, 9, e.updatedAt());
      s.executeUpdate();
    }
  }

  /** The tenant's endpoint, locked until the transaction ends; another tenant's is not found. */
  Optional<Stored> lock(Connection c, String tenantId, String id) throws SQLException {
    List<Stored> found =
        query(
            c,
            "SELECT "
                + COLUMNS
                + " FROM webhook_endpoints WHERE id = ? AND tenant_id = ? FOR UPDATE",
            id,
            tenantId);
    return found.stream().findFirst();
  }

  Optional<Stored> find(Connection c, String tenantId, String id) throws SQLException {
    return query(
            c,
            "SELECT " + COLUMNS + " FROM webhook_endpoints WHERE id = ? AND tenant_id = ?",
            id,
            tenantId)
        .stream()
        .findFirst();
  }

  List<Stored> list(Connection c, String tenantId) throws SQLException {
    return query(
        c,
        "SELECT " + COLUMNS + " FROM webhook_endpoints WHERE tenant_id = ? ORDER BY created_at, id",
        tenantId);
  }

  /** Stores what the tenant may change; re-enabling also forgets the run of failures. */
  void update(Connection c, WebhookEndpoint e) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE webhook_endpoints SET url = ?, event_types = ?, description = ?, enabled = ?,"
                + " disabled_reason = ?, disabled_at = ?, updated_at = ?,"
                + " failing_since = CASE WHEN ? THEN NULL ELSE failing_since END,"
                + " paused_until = CASE WHEN ? THEN NULL ELSE paused_until END WHERE id = ?")) {
      s.setString(1, e.url());
      s.setString(2, typesJson(e.eventTypes()));
      s.setString(3, e.description());
      s.setBoolean(4, e.enabled());
      s.setString(5, e.disabledReason());
      Sql.setInstant(s, 6, e.disabledAt());
      Sql.setInstant(s, 7, e.updatedAt());
      s.setBoolean(8, e.enabled());
      s.setBoolean(9, e.enabled());
      s.setString(10, e.id());
      s.executeUpdate();
    }
  }

  void updateSecrets(Connection c, String id, StoredKeys keys, Instant now) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE webhook_endpoints SET secret = ?, previous_secret = ?,"
                + " previous_secret_expires_at = ?, updated_at = ? WHERE id = ?")) {
      s.setBytes(1, keys.current());
      s.setBytes(2, keys.previous());
      Sql.setInstant(s, 3, keys.previousExpiresAt());
      Sql.setInstant(s, 4, now);
      s.setString(5, id);
      s.executeUpdate();
    }
  }

  boolean delete(Connection c, String tenantId, String id) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement("DELETE FROM webhook_endpoints WHERE id = ? AND tenant_id = ?")) {
      s.setString(1, id);
      s.setString(2, tenantId);
      return s.executeUpdate() == 1;
    }
  }

  /**
   * Records how an attempt went for the endpoint: its run of failures, a pause (never shortened),
   * and, with a reason, disables it. Writes nothing when nothing changes (a success of an endpoint
   * that was not failing), so deliveries to one endpoint do not queue on its row.
   */
  void recordAttempt(
      Connection c,
      String id,
      Instant failingSince,
      Instant pausedUntil,
      String disableReason,
      Instant now)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE webhook_endpoints SET failing_since = ?,"
                + " paused_until = CASE WHEN ?::timestamptz IS NULL THEN paused_until"
                + "   ELSE GREATEST(paused_until, ?::timestamptz) END,"
                + " enabled = enabled AND ?::text IS NULL,"
                + " disabled_reason = CASE WHEN enabled AND ?::text IS NOT NULL THEN ?"
                + "   ELSE disabled_reason END,"
                + " disabled_at = CASE WHEN enabled AND ?::text IS NOT NULL THEN ?::timestamptz"
                + "   ELSE disabled_at END,"
                + " updated_at = CASE WHEN enabled AND ?::text IS NOT NULL THEN ?::timestamptz"
                + "   ELSE updated_at END"
                // a healthy endpoint's success changes nothing: no row lock, no dead tuple
                + " WHERE id = ? AND (failing_since IS DISTINCT FROM ?::timestamptz"
                + "   OR ?::timestamptz IS NOT NULL OR ?::text IS NOT NULL)")) {
      Sql.setInstant(s, 1, failingSince);
      Sql.setInstant(s, 2, pausedUntil);
      Sql.setInstant(s, 3, pausedUntil);
      s.setString(4, disableReason);
      s.setString(5, disableReason);
      s.setString(6, disableReason);
      s.setString(7, disableReason);
      Sql.setInstant(s, 8, now);
      s.setString(9, disableReason);
      Sql.setInstant(s, 10, now);
      s.setString(11, id);
      Sql.setInstant(s, 12, failingSince);
      Sql.setInstant(s, 13, pausedUntil);
      s.setString(14, disableReason);
      s.executeUpdate();
    }
  }

  private static List<Stored> query(Connection c, String sql, String... parameters)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        s.setString(i + 1, parameters[i]);
      }
      List<Stored> found = new ArrayList<>();
      try (ResultSet rows = s.executeQuery()) {
        while (rows.next()) {
          found.add(toStored(rows));
        }
      }
      return found;
    }
  }

  private static Stored toStored(ResultSet row) throws SQLException {
    String id = row.getString("id");
    WebhookEndpoint endpoint =
        new WebhookEndpoint(
            id,
            row.getString("tenant_id"),
            row.getString("url"),
            types(row.getString("event_types")),
            row.getString("description"),
            row.getBoolean("enabled"),
            row.getString("disabled_reason"),
            Sql.getInstant(row, "disabled_at"),
            Sql.getInstant(row, "created_at"),
            Sql.getInstant(row, "updated_at"));
    StoredKeys keys =
        new StoredKeys(
            id,
            row.getBytes("secret"),
            row.getBytes("previous_secret"),
            Sql.getInstant(row, "previous_secret_expires_at"));
    return new Stored(endpoint, keys);
  }

  private static String typesJson(List<EventType> types) {
    try {
      return JSON.writeValueAsString(types.stream().map(EventType::wireName).toList());
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write event types", e);
    }
  }

  private static List<EventType> types(String json) {
    try {
      return JSON.readValue(json, STRINGS).stream()
          .map(name -> EventType.fromWire(name).orElseThrow())
          .toList();
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored event types are not readable");
    }
  }
}
