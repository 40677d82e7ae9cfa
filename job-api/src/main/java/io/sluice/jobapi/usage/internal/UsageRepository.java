package io.sluice.jobapi.usage.internal;

import io.sluice.jobapi.usage.UsageBooking;
import io.sluice.jobapi.usage.UsageQuery;
import io.sluice.jobapi.usage.UsageQuery.Dimension;
import io.sluice.jobapi.usage.UsageRow;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** All SQL on the {@code usage_daily} table. */
public final class UsageRepository {
  /** Rows each group's amounts are spread over (see the migration). */
  static final int SHARDS = 8;

  private static final String ADD =
      "INSERT INTO usage_daily (tenant_id, day, provider, model, shard, jobs, input_tokens,"
          + " output_tokens, cost_usd, realtime_cost_usd, cached_jobs, cache_saved_usd)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (tenant_id, day, provider, model, shard) DO UPDATE SET"
          + " jobs = usage_daily.jobs + EXCLUDED.jobs,"
          + " input_tokens = usage_daily.input_tokens + EXCLUDED.input_tokens,"
          + " output_tokens = usage_daily.output_tokens + EXCLUDED.output_tokens,"
          + " cost_usd = usage_daily.cost_usd + EXCLUDED.cost_usd,"
          + " realtime_cost_usd = usage_daily.realtime_cost_usd + EXCLUDED.realtime_cost_usd,"
          + " cached_jobs = usage_daily.cached_jobs + EXCLUDED.cached_jobs,"
          + " cache_saved_usd = usage_daily.cache_saved_usd + EXCLUDED.cache_saved_usd";

  // Column names come from this fixed map only, never from the request.
  private static final Map<Dimension, String> COLUMNS =
      Map.of(
          Dimension.TENANT,
          "tenant_id",
          Dimension.DAY,
          "day",
          Dimension.PROVIDER,
          "provider",
          Dimension.MODEL,
          "model");

  /** Adds {@code booking} to its group; {@code jobId} picks the shard. */
  public void add(Connection connection, String jobId, UsageBooking booking) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(ADD)) {
      statement.setString(1, booking.tenantId());
      statement.setDate(2, Date.valueOf(booking.day()));
      statement.setString(3, booking.provider());
      statement.setString(4, booking.model());
      statement.setShort(5, (short) Math.floorMod(jobId.hashCode(), SHARDS));
      statement.setLong(6, booking.jobs());
      statement.setLong(7, booking.inputTokens());
      statement.setLong(8, booking.outputTokens());
      statement.setBigDecimal(9, booking.costUsd());
      statement.setBigDecimal(10, booking.realtimeCostUsd());
      statement.setLong(11, booking.cachedJobs());
      statement.setBigDecimal(12, booking.cacheSavedUsd());
      statement.executeUpdate();
    }
  }

  /** The query's groups, sorted by its dimensions (tenant, day, provider, model). */
  public List<UsageRow> rows(Connection connection, UsageQuery query) throws SQLException {
    String dimensions =
        query.groupBy().stream().sorted().map(COLUMNS::get).collect(Collectors.joining(", "));
    String select = dimensions.isEmpty() ? "" : dimensions + ", ";
    String grouping =
        dimensions.isEmpty() ? "" : " GROUP BY " + dimensions + " ORDER BY " + dimensions;
    String sql =
        "SELECT "
            + select
            + "sum(jobs) AS jobs, sum(input_tokens) AS input_tokens,"
            + " sum(output_tokens) AS output_tokens, sum(cost_usd) AS cost_usd,"
            + " sum(realtime_cost_usd) AS realtime_cost_usd, sum(cached_jobs) AS cached_jobs,"
            + " sum(cache_saved_usd) AS cache_saved_usd, count(*) AS n"
            + " FROM usage_daily WHERE "
            + (query.acrossTenants() ? "" : "tenant_id = ? AND ")
            + "day BETWEEN ? AND ?"
            + grouping;
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      int next = 1;
      if (!query.acrossTenants()) {
        statement.setString(next++, query.tenantId());
      }
      statement.setDate(next++, Date.valueOf(query.from()));
      statement.setDate(next, Date.valueOf(query.to()));
      try (ResultSet row = statement.executeQuery()) {
        List<UsageRow> rows = new ArrayList<>();
        while (row.next()) {
          if (row.getLong("n") > 0) {
            rows.add(read(row, query));
          }
        }
        return rows;
      }
    }
  }

  private static UsageRow read(ResultSet row, UsageQuery query) throws SQLException {
    return new UsageRow(
        query.groupBy().contains(Dimension.TENANT) ? row.getString("tenant_id") : null,
        query.groupBy().contains(Dimension.DAY) ? row.getDate("day").toLocalDate() : null,
        query.groupBy().contains(Dimension.PROVIDER) ? row.getString("provider") : null,
        query.groupBy().contains(Dimension.MODEL) ? row.getString("model") : null,
        row.getLong("jobs"),
        row.getLong("input_tokens"),
        row.getLong("output_tokens"),
        plain(row.getBigDecimal("cost_usd")),
        plain(row.getBigDecimal("realtime_cost_usd")),
        row.getLong("cached_jobs"),
        plain(row.getBigDecimal("cache_saved_usd")));
  }

  /** Whether the tenant is an operator (may read every tenant's usage). */
  public boolean isOperator(Connection connection, String tenantId) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement("SELECT operator FROM tenants WHERE id = ?")) {
      statement.setString(1, tenantId);
      try (ResultSet row = statement.executeQuery()) {
        return row.next() && row.getBoolean(1);
      }
    }
  }

  // numeric(24, 10) comes back with ten decimals; the amount is the same without the zeros.
  private static BigDecimal plain(BigDecimal amount) {
    BigDecimal stripped = amount.stripTrailingZeros();
    return stripped.scale() < 0 ? stripped.setScale(0) : stripped;
  }
}
