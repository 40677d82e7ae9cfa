package io.sluice.jobapi.usage;

import java.util.List;

/** The rows of a usage query, sorted by its dimensions, and their exact total. */
public record UsageReport(UsageQuery query, List<UsageRow> rows, UsageRow total) {
  public UsageReport {
    rows = List.copyOf(rows);
  }

  public static UsageReport of(UsageQuery query, List<UsageRow> rows) {
    return new UsageReport(query, rows, rows.stream().reduce(UsageRow.ZERO, UsageRow::plus));
  }
}
