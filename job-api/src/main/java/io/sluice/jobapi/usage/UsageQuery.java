package io.sluice.jobapi.usage;

import java.time.LocalDate;
import java.util.Set;

/**
 * One tenant's usage over whole UTC days, {@code from} and {@code to} included, summed per the
 * chosen dimensions (none: one total). Grouped by {@link Dimension#TENANT}, every tenant's usage
 * (the operator view; {@code tenantId} is then the operator asking).
 */
public record UsageQuery(String tenantId, LocalDate from, LocalDate to, Set<Dimension> groupBy) {
  /** What usage can be grouped by, in the order rows are sorted. */
  public enum Dimension {
    TENANT("tenant"),
    DAY("day"),
    PROVIDER("provider"),
    MODEL("model");

    private final String wireName;

    Dimension(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }
  }

  /** Whether the query sums every tenant's usage (an operator's, grouped by tenant). */
  public boolean acrossTenants() {
    return groupBy.contains(Dimension.TENANT);
  }

  public UsageQuery {
    groupBy = Set.copyOf(groupBy);
    if (from.isAfter(to)) {
      throw new IllegalArgumentException("from after to");
    }
  }
}
