package io.sluice.schemas.job;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The life cycle of a job: {@code queued → running → succeeded | failed | cancelled | expired}.
 *
 * <p>The allowed transitions are an explicit table ({@link #allowedNext()}); every accepted job
 * reaches exactly one terminal state.
 */
public enum JobStatus {
  @JsonProperty("queued")
  QUEUED,
  @JsonProperty("running")
  RUNNING,
  @JsonProperty("succeeded")
  SUCCEEDED,
  @JsonProperty("failed")
  FAILED,
  @JsonProperty("cancelled")
  CANCELLED,
  @JsonProperty("expired")
  EXPIRED;

  private static final Map<JobStatus, EnumSet<JobStatus>> ALLOWED_NEXT =
      Map.of(
          QUEUED, EnumSet.of(RUNNING, SUCCEEDED, FAILED, CANCELLED, EXPIRED),
          RUNNING, EnumSet.of(SUCCEEDED, FAILED, CANCELLED, EXPIRED),
          SUCCEEDED, EnumSet.noneOf(JobStatus.class),
          FAILED, EnumSet.noneOf(JobStatus.class),
          CANCELLED, EnumSet.noneOf(JobStatus.class),
          EXPIRED, EnumSet.noneOf(JobStatus.class));

  /** The statuses this one may move to. Empty for terminal statuses. */
  public Set<JobStatus> allowedNext() {
    return EnumSet.copyOf(ALLOWED_NEXT.get(this));
  }

  /** Whether a job in this status may move to {@code next}. */
  public boolean canMoveTo(JobStatus next) {
    return ALLOWED_NEXT.get(this).contains(next);
  }

  /** Whether this status is final: no transition leaves it. */
  public boolean isTerminal() {
    return ALLOWED_NEXT.get(this).isEmpty();
  }

  /** The lower-case name used on the wire and in the database. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a {@linkplain #wireName() wire name}. */
  public static JobStatus fromWireName(String name) {
    return valueOf(name.toUpperCase(Locale.ROOT));
  }
}
