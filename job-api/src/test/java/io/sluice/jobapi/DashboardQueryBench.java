package io.sluice.jobapi;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * What a dashboard refresh costs on a large jobs table: one million jobs of 100 tenants over 30
 * days (about 1,400 in the last hour, 1 % failed), then {@code GET /v1/dashboard} for an operator
 * and for one tenant, and each statement's plan. Measures, does not test: run it on purpose with
 * {@code -Dtest=DashboardQueryBench -Djobapi.excludedGroups=none}.
 */
@Tag("bench")
class DashboardQueryBench {
  private static final int JOBS = 1_000_000;
  private static final int ROUNDS = 30;

  @Test
  void measureARefreshOnAMillionJobs() {
    try (JobApiFixture fixture = JobApiFixture.start()) {
      JobApiFixture.Client operator = fixture.newClient();
      fixture.api.admin().setOperator(operator.tenant.id(), true);
      JobApiFixture.Client tenant = fixture.newClient();
      long started = System.nanoTime();
      fixture.execute(
          "INSERT INTO jobs (id, tenant_id, type, status, model, priority, mode, request,"
              + " metadata, created_at, updated_at, finished_at, error)"
              + " SELECT 'job_bench_' || g, CASE WHEN g % 100 = 0 THEN '"
              + tenant.tenant.id()
              + "' ELSE '"
              + operator.tenant.id()
              + "' END, 'completion',"
              + " CASE WHEN g % 1000 = 0 THEN 'queued' WHEN g % 100 = 7 THEN 'failed'"
              + " ELSE 'succeeded' END, 'gpt-4o-mini', 'standard', 'realtime', '{}', '{}',"
              + " now() - g * interval '2.6 seconds', now() - g * interval '2.6 seconds',"
              + " CASE WHEN g % 1000 = 0 THEN NULL"
              + " ELSE now() - g * interval '2.6 seconds' + interval '1 second' END,"
              + " CASE WHEN g % 100 = 7 THEN '{\"code\":\"provider_rejected\",\"message\":\"no\"}'"
              + " END FROM generate_series(1, "
              + JOBS
              + ") g");
      fixture.execute("VACUUM ANALYZE jobs");
      System.out.printf("inserted %,d jobs in %.1f s%n", JOBS, (System.nanoTime() - started) / 1e9);
      report("operator", fixture, operator);
      report("tenant (1 % of the jobs)", fixture, tenant);
      for (String sql : statements(tenant.tenant.id())) {
        System.out.println("EXPLAIN " + sql);
        fixture
            .query("EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) " + sql)
            .forEach(row -> System.out.println("  " + row.getFirst()));
      }
    }
  }

  private static void report(String who, JobApiFixture fixture, JobApiFixture.Client client) {
    List<Long> micros = new ArrayList<>();
    for (int i = 0; i < ROUNDS; i++) {
      long started = System.nanoTime();
      HttpResponse<String> response =
          JobApiFixture.send(
              HttpRequest.newBuilder(fixture.url("/v1/dashboard"))
                  .header("Authorization", "Bearer " + client.key));
      micros.add((System.nanoTime() - started) / 1000);
      assertThat(response.statusCode()).isEqualTo(200);
    }
    List<Long> sorted = micros.stream().sorted().toList();
    System.out.printf(
        "GET /v1/dashboard as %s: median %.1f ms, max %.1f ms over %d (first %.1f ms)%n",
        who, sorted.get(ROUNDS / 2) / 1e3, sorted.getLast() / 1e3, ROUNDS, micros.getFirst() / 1e3);
  }

  private static List<String> statements(String tenantId) {
    String hour = "now() - interval '1 hour'";
    return List.of(
        "SELECT status, count(*) FROM jobs WHERE status IN ('queued', 'running') GROUP BY status",
        "SELECT date_trunc('minute', created_at), count(*) FROM jobs WHERE created_at >= "
            + hour
            + " GROUP BY 1",
        "SELECT date_trunc('minute', finished_at), status, count(*) FROM jobs WHERE finished_at >= "
            + hour
            + " GROUP BY 1, 2",
        "SELECT date_trunc('minute', finished_at), status, count(*) FROM jobs WHERE finished_at >= "
            + hour
            + " AND tenant_id = '"
            + tenantId
            + "' GROUP BY 1, 2",
        "SELECT j.id, t.name, j.model, j.status, j.error, j.finished_at FROM jobs j JOIN tenants t"
            + " ON t.id = j.tenant_id WHERE j.status IN ('failed', 'expired')"
            + " AND j.finished_at IS NOT NULL ORDER BY j.finished_at DESC LIMIT 10",
        "SELECT j.id, t.name, j.model, j.status, j.error, j.finished_at FROM jobs j JOIN tenants t"
            + " ON t.id = j.tenant_id WHERE j.status IN ('failed', 'expired')"
            + " AND j.finished_at IS NOT NULL AND j.tenant_id = '"
            + tenantId
            + "' ORDER BY j.finished_at DESC LIMIT 10");
  }
}
