package io.sluice.jobapi.dashboard;

import io.sluice.jobapi.dashboard.DashboardSummary.JobCounts;
import io.sluice.jobapi.dashboard.DashboardSummary.Panel;
import io.sluice.jobapi.dashboard.internal.DashboardQueries;
import io.sluice.jobapi.dashboard.internal.LaneBacklogs;
import io.sluice.jobapi.dashboard.internal.RateLimitUse;
import io.sluice.jobapi.store.Database;
import io.sluice.schemas.topic.TopicCatalog;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import javax.sql.DataSource;

/**
 * The figures of the dashboard page ({@code /ui}), for one API key: its own tenant's jobs,
 * failures, batches and webhook endpoints; for an operator tenant's key every tenant's, and the
 * platform's lanes and rate limits besides. One call reads the database in one transaction (seven
 * indexed statements) and Kafka at most once per few seconds.
 */
public final class Dashboard implements AutoCloseable {
  private static final String OPERATORS_ONLY = "shown to operator keys only";

  private final Database database;
  private final DashboardQueries queries = new DashboardQueries();
  private final LaneBacklogs lanes;
  private final RateLimitUse limits;
  private final Clock clock;

  /**
   * @param database job-api's database
   * @param dataSource the same database's pool, for the rate limiters' shared state
   * @param kafkaBootstrap the Kafka cluster of the lanes
   * @param clientId job-api's Kafka client ID
   * @param topics the topics under job-api's prefix
   * @param providers the providers whose lanes to show
   * @param clock the clock
   */
  public Dashboard(
      Database database,
      DataSource dataSource,
      String kafkaBootstrap,
      String clientId,
      TopicCatalog topics,
      List<String> providers,
      Clock clock) {
    this.database = database;
    this.lanes = new LaneBacklogs(kafkaBootstrap, clientId, topics, providers, clock);
    this.limits = new RateLimitUse(dataSource, clock);
    this.clock = clock;
  }

  /** What the key of tenant {@code tenantId} may see now. */
  public DashboardSummary summary(String tenantId) {
    Instant now = clock.instant();
    record Tables(
        boolean operator,
        JobCounts jobs,
        List<DashboardSummary.Failure> failures,
        List<DashboardSummary.BatchProgress> batches,
        List<DashboardSummary.EndpointHealth> webhooks) {}
    Tables tables =
        database.inTransaction(
            c -> {
              boolean operator = queries.isOperator(c, tenantId);
              String scope = operator ? null : tenantId;
              return new Tables(
                  operator,
                  queries.jobs(c, scope, now),
                  queries.recentFailures(c, scope),
                  queries.batches(c, scope),
                  queries.webhooks(c, scope, now));
            });
    return new DashboardSummary(
        now,
        tables.operator() ? DashboardSummary.ALL_TENANTS : DashboardSummary.TENANT,
        tenantId,
        tables.jobs(),
        tables.failures(),
        tables.batches(),
        tables.webhooks(),
        tables.operator() ? lanes.read() : Panel.unavailable(OPERATORS_ONLY),
        tables.operator() ? limits.read() : Panel.unavailable(OPERATORS_ONLY),
        Panel.unavailable(
            "the deferred lane's provider batches live in the batch-submitter's own tables; see"
                + " its metrics sluice_batch_pending_items and sluice_batch_enqueued_tokens at /metrics"));
  }

  @Override
  public void close() {
    lanes.close();
  }
}
