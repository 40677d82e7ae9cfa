package io.sluice.jobapi.dashboard.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.jobapi.dashboard.DashboardSummary.BatchProgress;
import io.sluice.jobapi.dashboard.DashboardSummary.EndpointHealth;
import io.sluice.jobapi.dashboard.DashboardSummary.Failure;
import io.sluice.jobapi.dashboard.DashboardSummary.JobCounts;
import io.sluice.jobapi.dashboard.DashboardSummary.Minute;
import io.sluice.jobapi.store.Sql;
import io.sluice.schemas.json.Json;
import java.io.IOException;
import java.net.URI;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The dashboard's SQL, all of it. Each statement reads an index (V10, V5, V8, V4) and is bounded by
 * the last hour's jobs, the jobs waiting now, or a small LIMIT, never by the size of the tables: a
 * refresh costs the same on a jobs table of ten thousand rows and of a hundred million. A {@code
 * null} tenant is an operator's view of every tenant.
 */
public final class DashboardQueries {
  /** The window of the per-minute series and the last hour's counts. */
  public static final Duration WINDOW = Duration.ofHours(1);

  private static final int FAILURES = 10;
  private static final int BATCHES = 5;
  private static final int ENDPOINTS = 20;
  private static final int MESSAGE_CHARS = 300;
  private static final String TENANT = " AND tenant_id = ?";

  private final ObjectMapper json = Json.mapper();

  /** Whether the tenant's keys see every tenant. */
  public boolean isOperator(Connection connection, String tenantId) throws SQLException {
    try (PreparedStatement select =
        connection.prepareStatement("SELECT operator FROM tenants WHERE id = ?")) {
      select.setString(1, tenantId);
      try (ResultSet row = select.executeQuery()) {
        return row.next() && row.getBoolean(1);
      }
    }
  }

  /** Jobs waiting and running now, and the last hour minute by minute. */
  public JobCounts jobs(Connection connection, String tenantId, Instant now) throws SQLException {
    Instant from = now.truncatedTo(ChronoUnit.MINUTES).minus(WINDOW).plus(Duration.ofMinutes(1));
    Map<String, Long> active = new LinkedHashMap<>();
    active.put("queued", 0L);
    active.put("running", 0L);
    // jobs_active: a partial index over the jobs not finished, small whatever the table's size
    query(
        connection,
        "SELECT status, count(*) FROM jobs WHERE status IN ('queued', 'running')"
            + (tenantId == null ? "" : TENANT)
            + " GROUP BY status",
        tenantId,
        null,
        row -> active.put(row.getString(1), row.getLong(2)));
    Map<Instant, long[]> submitted = new TreeMap<>();
    // jobs_created_at (operator) or jobs_tenant_created_id (tenant): the last hour's rows
    query(
        connection,
        "SELECT date_trunc('minute', created_at), count(*) FROM jobs WHERE created_at >= ?"
            + (tenantId == null ? "" : TENANT)
            + " GROUP BY 1",
        tenantId,
        from,
        row -> submitted.put(Sql.getInstant(row, "date_trunc"), new long[] {row.getLong(2)}));
    Map<Instant, Map<String, Long>> finished = new TreeMap<>();
    // jobs_finished_at: the last hour's finished rows, status and tenant in the index
    query(
        connection,
        "SELECT date_trunc('minute', finished_at), status, count(*) FROM jobs"
            + " WHERE finished_at >= ?"
            + (tenantId == null ? "" : TENANT)
            + " GROUP BY 1, 2",
        tenantId,
        from,
        row ->
            finished
                .computeIfAbsent(Sql.getInstant(row, "date_trunc"), m -> new TreeMap<>())
                .put(row.getString(2), row.getLong(3)));
    return series(active, from, now, submitted, finished);
  }

  private static JobCounts series(
      Map<String, Long> active,
      Instant from,
      Instant now,
      Map<Instant, long[]> submitted,
      Map<Instant, Map<String, Long>> finished) {
    Map<String, Long> lastHour = new LinkedHashMap<>();
    lastHour.put("submitted", 0L);
    for (String status : List.of("succeeded", "failed", "cancelled", "expired")) {
      lastHour.put(status, 0L);
    }
    List<Minute> minutes = new ArrayList<>();
    for (Instant at = from; !at.isAfter(now); at = at.plus(Duration.ofMinutes(1))) {
      long created = submitted.getOrDefault(at, new long[] {0})[0];
      Map<String, Long> ended = finished.getOrDefault(at, Map.of());
      lastHour.merge("submitted", created, Long::sum);
      ended.forEach((status, count) -> lastHour.merge(status, count, Long::sum));
      minutes.add(new Minute(at, created, ended));
    }
    return new JobCounts(active, lastHour, minutes);
  }

  /**
   * The newest failed or expired jobs (jobs_failed / jobs_tenant_failed: partial indexes over the
   * failures only).
   */
  public List<Failure> recentFailures(Connection connection, String tenantId) throws SQLException {
    List<Failure> failures = new ArrayList<>();
    query(
        connection,
        "SELECT j.id, t.name, j.model, j.status, j.error, j.finished_at FROM jobs j"
            + " JOIN tenants t ON t.id = j.tenant_id"
            + " WHERE j.status IN ('failed', 'expired') AND j.finished_at IS NOT NULL"
            + (tenantId == null ? "" : " AND j.tenant_id = ?")
            + " ORDER BY j.finished_at DESC LIMIT "
            + FAILURES,
        tenantId,
        null,
        row -> {
          JsonNode error = error(row.getString("error"));
          failures.add(
              new Failure(
                  row.getString("id"),
                  row.getString("name"),
                  row.getString("model"),
                  row.getString("status"),
                  text(error, "code"),
                  shorten(text(error, "message")),
                  Sql.getInstant(row, "finished_at")));
        });
    return failures;
  }

  /**
   * The newest batches (batches_created_at / batches_tenant_created_id) and their lines by status
   * (jobs_batch_status: the lines of these few batches).
   */
  public List<BatchProgress> batches(Connection connection, String tenantId) throws SQLException {
    record Row(String id, String tenant, String status, long total, Instant createdAt) {}
    List<Row> rows = new ArrayList<>();
    query(
        connection,
        "SELECT b.id, t.name, b.status, b.total, b.created_at FROM batches b"
            + " JOIN tenants t ON t.id = b.tenant_id"
            + (tenantId == null ? "" : " WHERE b.tenant_id = ?")
            + " ORDER BY b.created_at DESC LIMIT "
            + BATCHES,
        tenantId,
        null,
        row ->
            rows.add(
                new Row(
                    row.getString(1),
                    row.getString(2),
                    row.getString(3),
                    row.getLong(4),
                    Sql.getInstant(row, "created_at"))));
    Map<String, Map<String, Long>> lines = new LinkedHashMap<>();
    rows.forEach(r -> lines.put(r.id(), new TreeMap<>()));
    if (!rows.isEmpty()) {
      try (PreparedStatement select =
          connection.prepareStatement(
              "SELECT batch_id, status, count(*) FROM jobs WHERE batch_id = ANY (?)"
                  + " GROUP BY 1, 2")) {
        Array ids = connection.createArrayOf("text", lines.keySet().toArray());
        select.setArray(1, ids);
        try (ResultSet row = select.executeQuery()) {
          while (row.next()) {
            lines.get(row.getString(1)).put(row.getString(2), row.getLong(3));
          }
        }
      }
    }
    return rows.stream()
        .map(
            r ->
                new BatchProgress(
                    r.id(), r.tenant(), r.status(), r.total(), lines.get(r.id()), r.createdAt()))
        .toList();
  }

  /**
   * Webhook endpoints (webhook_endpoints_tenant) and their deliveries of the last hour
   * (webhook_deliveries_endpoint).
   */
  public List<EndpointHealth> webhooks(Connection connection, String tenantId, Instant now)
      throws SQLException {
    record Row(
        String id,
        String tenant,
        String url,
        boolean enabled,
        String disabledReason,
        Instant failingSince) {}
    List<Row> rows = new ArrayList<>();
    query(
        connection,
        "SELECT e.id, t.name, e.url, e.enabled, e.disabled_reason, e.failing_since"
            + " FROM webhook_endpoints e JOIN tenants t ON t.id = e.tenant_id"
            + (tenantId == null ? "" : " WHERE e.tenant_id = ?")
            + " ORDER BY e.created_at DESC LIMIT "
            + ENDPOINTS,
        tenantId,
        null,
        row ->
            rows.add(
                new Row(
                    row.getString(1),
                    row.getString(2),
                    row.getString(3),
                    row.getBoolean(4),
                    row.getString(5),
                    Sql.getInstant(row, "failing_since"))));
    Map<String, Map<String, Long>> deliveries = new LinkedHashMap<>();
    rows.forEach(r -> deliveries.put(r.id(), new TreeMap<>()));
    if (!rows.isEmpty()) {
      try (PreparedStatement select =
          connection.prepareStatement(
              "SELECT endpoint_id, status, count(*) FROM webhook_deliveries"
                  + " WHERE endpoint_id = ANY (?) AND created_at >= ? GROUP BY 1, 2")) {
        select.setArray(1, connection.createArrayOf("text", deliveries.keySet().toArray()));
        Sql.setInstant(select, 2, now.minus(WINDOW));
        try (ResultSet row = select.executeQuery()) {
          while (row.next()) {
            deliveries.get(row.getString(1)).put(row.getString(2), row.getLong(3));
          }
        }
      }
    }
    return rows.stream()
        .map(
            r ->
                new EndpointHealth(
                    r.id(),
                    r.tenant(),
                    destination(r.url()),
                    r.enabled(),
                    r.disabledReason(),
                    r.failingSince(),
                    deliveries.get(r.id())))
        .toList();
  }

  private static String destination(String url) {
    try {
      URI uri = URI.create(url);
      return uri.getScheme()
          + "://"
          + uri.getHost()
          + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
    } catch (IllegalArgumentException e) {
      return "(unreadable URL)";
    }
  }

  private JsonNode error(String text) {
    if (text == null) {
      return null;
    }
    try {
      return json.readTree(text);
    } catch (IOException e) {
      return null;
    }
  }

  private static String text(JsonNode node, String field) {
    return node == null || !node.hasNonNull(field) ? null : node.get(field).asText();
  }

  private static String shorten(String message) {
    return message == null || message.length() <= MESSAGE_CHARS
        ? message
        : message.substring(0, MESSAGE_CHARS - 1) + "…";
  }

  @FunctionalInterface
  private interface RowReader {
    void read(ResultSet row) throws SQLException;
  }

  /** Runs a statement whose parameters are {@code since} (when given), then the tenant. */
  private static void query(
      Connection connection, String sql, String tenantId, Instant since, RowReader reader)
      throws SQLException {
    try (PreparedStatement select = connection.prepareStatement(sql)) {
      int index = 1;
      if (since != null) {
        Sql.setInstant(select, index++, since);
      }
      if (tenantId != null) {
        select.setString(index, tenantId);
      }
      try (ResultSet row = select.executeQuery()) {
        while (row.next()) {
          reader.read(row);
        }
      }
    }
  }
}
