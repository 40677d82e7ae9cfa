package io.sluice.jobapi.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.sluice.jobapi.usage.UsageQuery;
import io.sluice.jobapi.usage.UsageReport;
import io.sluice.jobapi.usage.UsageRow;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;

/**
 * {@code GET /v1/usage}: the caller's usage over whole UTC days, one row per group (dimensions not
 * grouped by are left out), and the exact total; with {@code group_by=tenant} and an operator's
 * key, every tenant's. Amounts are US dollars.
 */
public record UsageResource(
    String object, LocalDate from, LocalDate to, List<String> groupBy, List<Row> data, Row total) {

  /** One group's figures. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Row(
      String tenant,
      LocalDate day,
      String provider,
      String model,
      long jobs,
      long inputTokens,
      long outputTokens,
      BigDecimal costUsd,
      BigDecimal realtimeCostUsd,
      BigDecimal savedUsd,
      long cachedJobs,
      BigDecimal cacheSavedUsd) {
    static Row of(UsageRow row) {
      return new Row(
          row.tenant(),
          row.day(),
          row.provider(),
          row.model(),
          row.jobs(),
          row.inputTokens(),
          row.outputTokens(),
          row.costUsd(),
          row.realtimeCostUsd(),
          row.savedUsd(),
          row.cachedJobs(),
          row.cacheSavedUsd());
    }
  }

  public static UsageResource of(UsageReport report) {
    UsageQuery query = report.query();
    return new UsageResource(
        "usage",
        query.from(),
        query.to(),
        query.groupBy().stream().sorted().map(UsageQuery.Dimension::wireName).toList(),
        report.rows().stream().map(Row::of).toList(),
        Row.of(report.total()));
  }
}
