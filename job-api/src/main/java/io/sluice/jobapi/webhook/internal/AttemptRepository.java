package io.sluice.jobapi.webhook.internal;

import io.sluice.jobapi.store.Sql;
import io.sluice.jobapi.webhook.Attempt;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/** All SQL on {@code webhook_attempts}. */
final class AttemptRepository {

  void insert(Connection c, String deliveryId, Attempt attempt) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO webhook_attempts (delivery_id, attempted_at, status_code, latency_ms,"
                + " error) VALUES (?, ?, ?, ?, ?)")) {
      s.setString(1, deliveryId);
      Sql.setInstant(s, 2, attempt.attemptedAt());
      s.setObject(3, attempt.statusCode());
      s.setLong(4, attempt.latencyMs());
      s.setString(5, attempt.error());
      s.executeUpdate();
    }
  }

  /** One attempt row per result, in one statement, in the results' order. */
  void insertAll(Connection c, List<SendResult> results) throws SQLException {
    int n = results.size();
    String[] deliveryIds = new String[n];
    String[] attemptedAt = new String[n];
    Integer[] statusCodes = new Integer[n];
    Long[] latencies = new Long[n];
    String[] errors = new String[n];
    for (int i = 0; i < n; i++) {
      Attempt attempt = results.get(i).attempt();
      deliveryIds[i] = results.get(i).delivery().id();
      attemptedAt[i] = attempt.attemptedAt().toString();
      statusCodes[i] = attempt.statusCode();
      latencies[i] = attempt.latencyMs();
      errors[i] = attempt.error();
    }
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO webhook_attempts (delivery_id, attempted_at, status_code, latency_ms,"
                + " error) SELECT d, t, s, l, e FROM unnest(?::text[], ?::timestamptz[], ?::integer[],"
                + " ?::bigint[], ?::text[]) WITH ORDINALITY AS a(d, t, s, l, e, n) ORDER BY n")) {
      s.setArray(1, c.createArrayOf("text", deliveryIds));
      s.setArray(2, c.createArrayOf("text", attemptedAt));
      s.setArray(3, c.createArrayOf("int4", statusCodes));
      s.setArray(4, c.createArrayOf("int8", latencies));
      s.setArray(5, c.createArrayOf("text", errors));
      s.executeUpdate();
    }
  }

  /** The delivery's attempts, oldest first. */
  List<Attempt> list(Connection c, String deliveryId) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT attempted_at, status_code, latency_ms, error FROM webhook_attempts"
                + " WHERE delivery_id = ? ORDER BY id")) {
      s.setString(1, deliveryId);
      List<Attempt> attempts = new ArrayList<>();
      try (ResultSet row = s.executeQuery()) {
        while (row.next()) {
          Long status = Sql.getLong(row, "status_code");
          attempts.add(
              new Attempt(
                  Sql.getInstant(row, "attempted_at"),
                  status == null ? null : status.intValue(),
                  row.getLong("latency_ms"),
                  row.getString("error")));
        }
      }
      return attempts;
    }
  }
}
