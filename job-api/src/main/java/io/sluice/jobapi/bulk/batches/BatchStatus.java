package io.sluice.jobapi.bulk.batches;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/** A batch's status, as OpenAI names them, with the transitions allowed between them. */
public enum BatchStatus {
  VALIDATING("validating"),
  FAILED("failed"),
  IN_PROGRESS("in_progress"),
  FINALIZING("finalizing"),
  COMPLETED("completed"),
  EXPIRED("expired"),
  CANCELLING("cancelling"),
  CANCELLED("cancelled");

  private static final Map<BatchStatus, Set<BatchStatus>> NEXT =
      Map.of(
          VALIDATING, EnumSet.of(FAILED, IN_PROGRESS, CANCELLING),
          IN_PROGRESS, EnumSet.of(FINALIZING, CANCELLING, EXPIRED),
          FINALIZING, EnumSet.of(COMPLETED, EXPIRED, CANCELLED),
          CANCELLING, EnumSet.of(FINALIZING, CANCELLED),
          FAILED, EnumSet.noneOf(BatchStatus.class),
          COMPLETED, EnumSet.noneOf(BatchStatus.class),
          EXPIRED, EnumSet.noneOf(BatchStatus.class),
          CANCELLED, EnumSet.noneOf(BatchStatus.class));

  private final String wireName;

  BatchStatus(String wireName) {
    this.wireName = wireName;
  }

  public String wireName() {
    return wireName;
  }

  public boolean canMoveTo(BatchStatus next) {
    return NEXT.get(this).contains(next);
  }

  public boolean isTerminal() {
    return NEXT.get(this).isEmpty();
  }

  public static BatchStatus fromWireName(String name) {
    for (BatchStatus status : values()) {
      if (status.wireName.equals(name)) {
        return status;
      }
    }
    throw new IllegalArgumentException("unknown batch status " + name);
  }
}
