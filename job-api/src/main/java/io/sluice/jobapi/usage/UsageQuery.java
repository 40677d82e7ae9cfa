package io.sluice.jobapi.usage;

import java.time.LocalDate;
import java.util.Set;

/**
 * One tenant's usage over whole UTC days, {@code from} and {@code to} included, summed per the
 * chosen dimensions (none: one total).
 */
public record UsageQuery(String tenantId, LocalDate from, LocalDate to, Set<Dimension> groupBy) {
  /** What usage can be grouped by, in the order rows are sorted. */
  public enum Dimension {
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

  public UsageQuery {
    groupBy = Set.copyOf(groupBy);
    if (from.isAfter(to)) {
      throw new IllegalArgumentException("from after to");
    }
  }
}
