package io.sluice.jobapi.job.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.embedded.PostgresEndpoint;
import io.sluice.embedded.TestInfrastructure;
import io.sluice.jobapi.job.Job;
import io.sluice.jobapi.job.JobCursor;
import io.sluice.jobapi.job.JobListQuery;
import io.sluice.jobapi.store.DataSources;
import io.sluice.jobapi.store.Migrations;
import io.sluice.schemas.job.JobStatus;
import io.sluice.schemas.job.Priority;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The list query on a jobs table of 1,000,000 rows (one INSERT … SELECT generate_series, then
 * ANALYZE), 600,000 of them one tenant's: every filter's plan reads an index, never a sequential
 * scan of jobs, and a page comes back in milliseconds. The plans are printed (job-api README).
 */
class JobListPlanTest {
  private static final Logger LOG = LoggerFactory.getLogger(JobListPlanTest.class);
  private static final int ROWS = 1_000_000;
  private static final String BIG = "tenant_big";
  private static final long MAX_PAGE_MILLIS = 50;

  private static PostgresEndpoint database;
  private static Connection connection;

  @BeforeAll
  static void fillTheJobsTable() throws SQLException {
    database = TestInfrastructure.newDatabase();
    try (var dataSource =
        DataSources.create(database.jdbcUrl(), database.username(), database.password(), 2)) {
      Migrations.migrate(dataSource);
    }
    connection =
        DriverManager.getConnection(database.jdbcUrl(), database.username(), database.password());
    long start = System.nanoTime();
    try (Statement statement = connection.createStatement()) {
      statement.execute(
          "INSERT INTO tenants (id, name, created_at) SELECT 'tenant_' || n, 'tenant ' || n, now()"
              + " FROM generate_series(0, 9) n UNION ALL SELECT '"
              + BIG
              + "', 'big', now()");
      // 60 % of the rows are the big tenant's; one in a hundred running, one in a thousand a
      // different model, one in ten thousand with an "order" label; created one second apart.
      statement.execute(
          "INSERT INTO jobs (id, tenant_id, type, status, model, priority, mode, request, metadata,"
              + " created_at, updated_at)"
              + " SELECT 'job_' || lpad(to_hex(n), 32, '0'),"
              + " CASE WHEN n % 5 < 3 THEN '"
              + BIG
              + "' ELSE 'tenant_' || (n % 10) END,"
              + " 'completion',"
              + " CASE WHEN n % 100 = 0 THEN 'running' ELSE 'succeeded' END,"
              + " CASE WHEN n % 1000 = 0 THEN 'gpt-4.1' ELSE 'gpt-4o-mini' END,"
              + " CASE WHEN n % 50 = 0 THEN 'interactive' ELSE 'standard' END,"
              + " 'realtime',"
              + " '{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}',"
              + " CASE WHEN n % 10000 = 0 THEN '{\"order\":\"' || n || '\"}' ELSE '{}' END,"
              + " timestamptz '2026-01-01' + n * interval '1 second',"
              + " timestamptz '2026-01-01' + n * interval '1 second'"
              + " FROM generate_series(1, "
              + ROWS
              + ") n");
      statement.execute("ANALYZE jobs");
    }
    LOG.info(
        "{} jobs inserted and analysed in {} ms", ROWS, (System.nanoTime() - start) / 1_000_000);
  }

  @AfterAll
  static void dropTheDatabase() throws SQLException {
    connection.close();
    database.close();
  }

  private static JobListQuery query(
      JobStatus status, Priority priority, String model, Map<String, String> metadata) {
    return new JobListQuery(status, priority, model, metadata, null, null, null, 20);
  }

  private static List<String> plan(JobListQuery query) throws SQLException {
    JobRepository.ListStatement list = JobRepository.listStatement(BIG, query);
    try (PreparedStatement explain =
        connection.prepareStatement("EXPLAIN (ANALYZE, COSTS OFF) " + list.sql())) {
      JobRepository.bind(explain, list.parameters());
      List<String> lines = new ArrayList<>();
      try (ResultSet rows = explain.executeQuery()) {
        while (rows.next()) {
          lines.add(rows.getString(1));
        }
      }
      LOG.info("plan of {}:\n{}", list.sql(), String.join("\n", lines));
      return lines;
    }
  }

  private static long bestPageMillis(JobListQuery query) throws SQLException {
    JobRepository jobs = new JobRepository();
    long best = Long.MAX_VALUE;
    for (int i = 0; i < 5; i++) {
      long start = System.nanoTime();
      jobs.listForTenant(connection, BIG, query);
      best = Math.min(best, (System.nanoTime() - start) / 1_000_000);
    }
    return best;
  }

  private static void assertReadThroughAnIndexInMilliseconds(JobListQuery query)
      throws SQLException {
    String plan = String.join("\n", plan(query));
    assertThat(plan).doesNotContain("Seq Scan").containsPattern("Index (Only )?Scan|Bitmap Index");
    assertThat(bestPageMillis(query)).as(plan).isLessThan(MAX_PAGE_MILLIS);
  }

  @Test
  void shouldListAPageOfABigTenantThroughAnIndex() throws SQLException {
    assertReadThroughAnIndexInMilliseconds(query(null, null, null, Map.of()));
  }

  @Test
  void shouldFollowACursorDeepInABigTenantThroughAnIndex() throws SQLException {
    List<Job> first =
        new JobRepository().listForTenant(connection, BIG, query(null, null, null, Map.of()));
    assertThat(first).hasSize(21);
    JobListQuery deep =
        new JobListQuery(
            null,
            null,
            null,
            Map.of(),
            null,
            null,
            new JobCursor(first.getLast().createdAt().minusSeconds(400_000), first.getLast().id()),
            20);
    assertReadThroughAnIndexInMilliseconds(deep);
  }

  @Test
  void shouldFilterByStatusThroughAnIndex() throws SQLException {
    assertReadThroughAnIndexInMilliseconds(query(JobStatus.RUNNING, null, null, Map.of()));
  }

  @Test
  void shouldFilterByModelThroughAnIndex() throws SQLException {
    assertReadThroughAnIndexInMilliseconds(query(null, null, "gpt-4.1", Map.of()));
  }

  @Test
  void shouldFilterByPriorityThroughAnIndex() throws SQLException {
    assertReadThroughAnIndexInMilliseconds(query(null, Priority.INTERACTIVE, null, Map.of()));
  }

  @Test
  void shouldFilterByMetadataThroughAnIndex() throws SQLException {
    assertReadThroughAnIndexInMilliseconds(query(null, null, null, Map.of("order", "20000")));
  }
}
