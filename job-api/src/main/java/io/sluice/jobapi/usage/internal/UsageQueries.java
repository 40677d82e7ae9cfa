package io.sluice.jobapi.usage.internal;

import io.sluice.jobapi.job.FieldError;
import io.sluice.jobapi.job.InvalidJobRequestException;
import io.sluice.jobapi.store.Database;
import io.sluice.jobapi.usage.UsageQuery;
import io.sluice.jobapi.usage.UsageQueryParser;
import io.sluice.jobapi.usage.UsageReport;
import io.sluice.jobapi.usage.UsageReports;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

/** The ledger's reports, read in one transaction each. */
public final class UsageQueries implements UsageReports {
  private final Database database;
  private final UsageRepository repository;
  private final UsageQueryParser parser = new UsageQueryParser();
  private final Clock clock;

  public UsageQueries(Database database, UsageRepository repository, Clock clock) {
    this.database = database;
    this.repository = repository;
    this.clock = clock;
  }

  @Override
  public UsageReport report(String tenantId, Map<String, List<String>> parameters) {
    LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
    return report(parser.parse(tenantId, parameters, today));
  }

  /**
   * The report; one across tenants only for an operator's key, otherwise a 400 on {@code group_by}
   * (the tenant's own usage needs no tenant dimension).
   */
  @Override
  public UsageReport report(UsageQuery query) {
    return UsageReport.of(
        query,
        database.inTransaction(
            c -> {
              if (query.acrossTenants() && !repository.isOperator(c, query.tenantId())) {
                throw InvalidJobRequestException.of(
                    List.of(
                        new FieldError(
                            "group_by",
                            "'tenant' needs an operator's key (sluice admin tenants operator)")));
              }
              return repository.rows(c, query);
            }));
  }
}
