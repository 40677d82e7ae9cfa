package io.sluice.jobapi.job.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.jobapi.job.BatchJobs;
import io.sluice.jobapi.job.Job;
import io.sluice.jobapi.job.Job.JobOutcome;
import io.sluice.jobapi.job.JobListQuery;
import io.sluice.jobapi.store.Sql;
import io.sluice.schemas.job.CompletionSpec;
import io.sluice.schemas.job.ErrorInfo;
import io.sluice.schemas.job.JobStatus;
import io.sluice.schemas.job.JobType;
import io.sluice.schemas.job.MapReduceProgress;
import io.sluice.schemas.job.MapReduceSpec;
import io.sluice.schemas.job.Mode;
import io.sluice.schemas.job.Placement;
import io.sluice.schemas.job.Priority;
import io.sluice.schemas.job.ProviderAttempt;
import io.sluice.schemas.job.TokenUsage;
import io.sluice.schemas.json.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * All SQL on the {@code jobs} table. A job's data (request, metadata, output, error, placement) is
 * stored as JSON text, never as jsonb or raw text: a NUL character is then the six characters
 * {@code \u0000}, which PostgreSQL accepts, and every string reads back exactly as it was written.
 */
public final class JobRepository {
  private static final ObjectMapper JSON = Json.mapper();
  private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {};

  private static final String COLUMNS =
      "id, tenant_id, type, status, model, priority, mode, deadline, request, metadata,"
          + " created_at, updated_at, output_json, input_tokens, output_tokens, provider,"
          + " provider_model, cost_usd, error, attempts, started_at, finished_at, last_event_id,"
          + " placement, realtime_cost_usd, webhook_url, progress, output_parsed, repairs,"
          + " provider_attempts, cached_from, cache_saved_usd";

  private static final String INSERT =
      "INSERT INTO jobs (id, tenant_id, type, status, model, priority, mode, deadline, request,"
          + " metadata, created_at, updated_at, webhook_url)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  private static final String UPDATE_OUTCOME =
      "UPDATE jobs SET status = ?, updated_at = ?, output_json = ?, input_tokens = ?,"
          + " output_tokens = ?, provider = ?, provider_model = ?, cost_usd = ?, error = ?,"
          + " attempts = ?, started_at = ?, finished_at = ?, last_event_id = ?, placement = ?,"
          + " realtime_cost_usd = ?, progress = ?, output_parsed = ?, repairs = ?,"
          + " provider_attempts = ?, cached_from = ?, cache_saved_usd = ? WHERE id = ?";

  public void insert(Connection connection, Job job) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(INSERT)) {
      bind(statement, job);
      statement.executeUpdate();
    }
  }

  /** Inserts new jobs in one round trip (one multi-row statement with reWriteBatchedInserts). */
  public void insertAll(Connection connection, List<Job> jobs) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(INSERT)) {
      for (Job job : jobs) {
        bind(statement, job);
        statement.addBatch();
      }
      statement.executeBatch();
    }
  }

  private static final String INSERT_IN_BATCH =
      "INSERT INTO jobs (id, tenant_id, type, status, model, priority, mode, deadline, request,"
          + " metadata, created_at, updated_at, webhook_url, batch_id, custom_id)"
          + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

  /** Inserts the jobs of a batch's lines, each with its {@code custom_id}, in one round trip. */
  public void insertAllInBatch(Connection connection, String batchId, List<BatchJobs.Line> lines)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(INSERT_IN_BATCH)) {
      for (BatchJobs.Line line : lines) {
        bind(statement, line.job());
        statement.setString(14, batchId);
        statement.setString(15, line.customId());
        statement.addBatch();
      }
      statement.executeBatch();
    }
  }

  /** How many of the batch's jobs are in each status, and their cost so far. */
  public BatchJobs.Totals totalsInBatch(Connection connection, String batchId) throws SQLException {
    Map<JobStatus, Long> counts = new java.util.EnumMap<>(JobStatus.class);
    java.math.BigDecimal cost = java.math.BigDecimal.ZERO;
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT status, count(*), sum(cost_usd) FROM jobs WHERE batch_id = ? GROUP BY status")) {
      statement.setString(1, batchId);
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          counts.put(JobStatus.fromWireName(rows.getString(1)), rows.getLong(2));
          java.math.BigDecimal sum = rows.getBigDecimal(3);
          cost = sum == null ? cost : cost.add(sum);
        }
      }
    }
    return new BatchJobs.Totals(counts, cost);
  }

  /** Up to {@code limit} IDs after {@code afterId} of the batch's jobs not yet ended, in order. */
  public List<String> unfinishedInBatch(
      Connection connection, String batchId, String afterId, int limit) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT id FROM jobs WHERE batch_id = ? AND status IN ('queued', 'running')"
                + " AND id > ? ORDER BY id LIMIT ?")) {
      statement.setString(1, batchId);
      statement.setString(2, afterId);
      statement.setInt(3, limit);
      List<String> ids = new ArrayList<>();
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          ids.add(rows.getString(1));
        }
      }
      return ids;
    }
  }

  /**
   * Hands each of the batch's jobs in these statuses to {@code each}, read through a cursor ({@code
   * fetchSize} rows at a time, so memory does not grow with the batch); the connection must not be
   * in auto-commit.
   */
  public void forEachInBatch(
      Connection connection,
      String batchId,
      List<JobStatus> statuses,
      int fetchSize,
      BatchJobs.LineConsumer each)
      throws SQLException, java.io.IOException {
    String[] wire = statuses.stream().map(JobStatus::wireName).toArray(String[]::new);
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT "
                + COLUMNS
                + ", custom_id FROM jobs WHERE batch_id = ? AND status = ANY (?) ORDER BY id")) {
      statement.setFetchSize(fetchSize);
      statement.setString(1, batchId);
      statement.setArray(2, connection.createArrayOf("text", wire));
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          each.accept(new BatchJobs.Line(rows.getString("custom_id"), toJob(rows)));
        }
      }
    }
  }

  private static void bind(PreparedStatement statement, Job job) throws SQLException {
    statement.setString(1, job.id());
    statement.setString(2, job.tenantId());
    statement.setString(3, wire(job.type()));
    statement.setString(4, job.status().wireName());
    statement.setString(5, job.model());
    statement.setString(6, job.priority().wireName());
    statement.setString(7, job.mode().wireName());
    Sql.setInstant(statement, 8, job.deadline());
    statement.setString(
        9, toJson(job.type() == JobType.MAP_REDUCE ? job.mapReduce() : job.completion()));
    statement.setString(10, toJson(job.metadata()));
    Sql.setInstant(statement, 11, job.createdAt());
    Sql.setInstant(statement, 12, job.updatedAt());
    statement.setString(13, job.webhookUrl());
  }

  /** The job with this ID if it belongs to this tenant; another tenant's job is not found. */
  public Optional<Job> findForTenant(Connection connection, String tenantId, String jobId)
      throws SQLException {
    return queryOne(
        connection,
        "SELECT " + COLUMNS + " FROM jobs WHERE id = ? AND tenant_id = ?",
        jobId,
        tenantId);
  }

  /**
   * Up to {@code query.limit() + 1} of the tenant's jobs matching the query, in list order
   * (created_at, id) descending: the extra row tells whether there is a next page. Each filter is a
   * prefix of one of V5's indexes, read in this order; the cursor is a keyset bound on it.
   */
  public List<Job> listForTenant(Connection connection, String tenantId, JobListQuery query)
      throws SQLException {
    ListStatement statement = listStatement(tenantId, query);
    return queryAll(connection, statement.sql(), statement.parameters());
  }

  /** The list query's SQL and parameters (Instant, Integer or String), as run. */
  record ListStatement(String sql, List<Object> parameters) {}

  static ListStatement listStatement(String tenantId, JobListQuery query) {
    StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM jobs WHERE tenant_id = ?");
    List<Object> parameters = new ArrayList<>(List.of(tenantId));
    if (query.status() != null) {
      sql.append(" AND status = ?");
      parameters.add(query.status().wireName());
    }
    if (query.priority() != null) {
      sql.append(" AND priority = ?");
      parameters.add(query.priority().wireName());
    }
    if (query.model() != null) {
      sql.append(" AND model = ?");
      parameters.add(query.model());
    }
    if (query.batch() != null) {
      sql.append(" AND batch_id = ?");
      parameters.add(query.batch());
    }
    if (!query.metadata().isEmpty()) {
      sql.append(" AND job_metadata_jsonb(metadata) @> ?::jsonb");
      parameters.add(toJson(query.metadata()));
    }
    if (query.createdAfter() != null) {
      sql.append(" AND created_at > ?");
      parameters.add(query.createdAfter());
    }
    if (query.createdBefore() != null) {
      sql.append(" AND created_at < ?");
      parameters.add(query.createdBefore());
    }
    if (query.after() != null) {
      sql.append(" AND (created_at, id) < (?, ?)");
      parameters.add(query.after().createdAt());
      parameters.add(query.after().jobId());
    }
    sql.append(" ORDER BY created_at DESC, id DESC LIMIT ?");
    parameters.add(query.limit() + 1);
    return new ListStatement(sql.toString(), parameters);
  }

  static void bind(PreparedStatement statement, List<Object> parameters) throws SQLException {
    for (int i = 0; i < parameters.size(); i++) {
      switch (parameters.get(i)) {
        case java.time.Instant instant -> Sql.setInstant(statement, i + 1, instant);
        case Integer number -> statement.setInt(i + 1, number);
        case Object text -> statement.setString(i + 1, text.toString());
      }
    }
  }

  private static List<Job> queryAll(Connection connection, String sql, List<Object> parameters)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      bind(statement, parameters);
      List<Job> result = new ArrayList<>();
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          result.add(toJob(rows));
        }
      }
      return result;
    }
  }

  /** The job with this ID, locked for update until the transaction ends. */
  public Optional<Job> lock(Connection connection, String jobId) throws SQLException {
    return queryOne(connection, "SELECT " + COLUMNS + " FROM jobs WHERE id = ? FOR UPDATE", jobId);
  }

  public void updateOutcome(Connection connection, Job job) throws SQLException {
    JobOutcome outcome = job.outcome();
    try (PreparedStatement statement = connection.prepareStatement(UPDATE_OUTCOME)) {
      statement.setString(1, job.status().wireName());
      Sql.setInstant(statement, 2, job.updatedAt());
      statement.setString(3, outcome.output() == null ? null : toJson(outcome.output()));
      statement.setObject(4, outcome.usage() == null ? null : outcome.usage().inputTokens());
      statement.setObject(5, outcome.usage() == null ? null : outcome.usage().outputTokens());
      statement.setString(6, outcome.provider());
      statement.setString(7, outcome.providerModel());
      statement.setBigDecimal(8, outcome.costUsd());
      statement.setString(9, outcome.error() == null ? null : toJson(outcome.error()));
      statement.setInt(10, outcome.attempts());
      Sql.setInstant(statement, 11, outcome.startedAt());
      Sql.setInstant(statement, 12, outcome.finishedAt());
      statement.setString(13, outcome.lastEventId());
      statement.setString(14, outcome.placement() == null ? null : toJson(outcome.placement()));
      statement.setBigDecimal(15, outcome.realtimeCostUsd());
      statement.setString(16, outcome.progress() == null ? null : toJson(outcome.progress()));
      statement.setString(17, outcome.outputJson() == null ? null : toJson(outcome.outputJson()));
      statement.setObject(18, outcome.repairs());
      statement.setString(
          19, outcome.providerAttempts() == null ? null : toJson(outcome.providerAttempts()));
      statement.setString(20, outcome.cacheHit() == null ? null : outcome.cacheHit().jobId());
      statement.setBigDecimal(
          21, outcome.cacheHit() == null ? null : outcome.cacheHit().savedUsd());
      statement.setString(22, job.id());
      statement.executeUpdate();
    }
  }

  private static Optional<Job> queryOne(Connection connection, String sql, String... parameters)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setString(i + 1, parameters[i]);
      }
      try (ResultSet row = statement.executeQuery()) {
        return row.next() ? Optional.of(toJob(row)) : Optional.empty();
      }
    }
  }

  private static Job toJob(ResultSet row) throws SQLException {
    JobType type = JobType.valueOf(upper(row.getString("type")));
    boolean mapReduce = type == JobType.MAP_REDUCE;
    String request = row.getString("request");
    return new Job(
        row.getString("id"),
        row.getString("tenant_id"),
        type,
        JobStatus.fromWireName(row.getString("status")),
        mapReduce ? null : fromJson(request, CompletionSpec.class),
        Priority.fromWire(row.getString("priority")).orElseThrow(),
        Mode.fromWire(row.getString("mode")).orElseThrow(),
        Sql.getInstant(row, "deadline"),
        fromJson(row.getString("metadata"), STRING_MAP),
        Sql.getInstant(row, "created_at"),
        Sql.getInstant(row, "updated_at"),
        toOutcome(row),
        row.getString("webhook_url"),
        mapReduce ? fromJson(request, MapReduceSpec.class) : null);
  }

  private static JobOutcome toOutcome(ResultSet row) throws SQLException {
    Long input = Sql.getLong(row, "input_tokens");
    Long output = Sql.getLong(row, "output_tokens");
    String error = row.getString("error");
    String outputJson = row.getString("output_json");
    String placement = row.getString("placement");
    String progress = row.getString("progress");
    String parsed = row.getString("output_parsed");
    Integer repairs = row.getObject("repairs", Integer.class);
    String tried = row.getString("provider_attempts");
    String cachedFrom = row.getString("cached_from");
    return new JobOutcome(
        outputJson == null ? null : fromJson(outputJson, String.class),
        input == null || output == null ? null : new TokenUsage(input, output),
        row.getString("provider"),
        row.getString("provider_model"),
        row.getBigDecimal("cost_usd"),
        error == null ? null : fromJson(error, ErrorInfo.class),
        row.getInt("attempts"),
        Sql.getInstant(row, "started_at"),
        Sql.getInstant(row, "finished_at"),
        row.getString("last_event_id"),
        placement == null ? null : fromJson(placement, Placement.class),
        row.getBigDecimal("realtime_cost_usd"),
        progress == null ? null : fromJson(progress, MapReduceProgress.class),
        parsed == null ? null : fromJson(parsed, JsonNode.class),
        repairs,
        tried == null ? null : List.of(fromJson(tried, ProviderAttempt[].class)),
        cachedFrom == null
            ? null
            : new Job.CacheHit(cachedFrom, row.getBigDecimal("cache_saved_usd")));
  }

  private static String wire(Enum<?> value) {
    return value.name().toLowerCase(Locale.ROOT);
  }

  private static String upper(String wireName) {
    return wireName.toUpperCase(Locale.ROOT);
  }

  private static String toJson(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + value.getClass().getSimpleName());
    }
  }

  private static <T> T fromJson(String json, Class<T> type) {
    try {
      return JSON.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw unreadable(type.getSimpleName(), e);
    }
  }

  private static <T> T fromJson(String json, TypeReference<T> type) {
    try {
      return JSON.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw unreadable("JSON", e);
    }
  }

  // Jackson's messages quote the text they failed on (job data): keep only where it failed.
  private static IllegalStateException unreadable(String what, JsonProcessingException e) {
    var at = e.getLocation();
    return new IllegalStateException(
        "stored "
            + what
            + " is not readable"
            + (at == null
                ? ""
                : " (line " + at.getLineNr() + ", column " + at.getColumnNr() + ")"));
  }
}
