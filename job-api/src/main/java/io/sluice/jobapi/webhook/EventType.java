package io.sluice.jobapi.webhook;

import io.sluice.schemas.job.JobStatus;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The events Sluice sends by webhook: a job reached a terminal status. */
public enum EventType {
  JOB_SUCCEEDED("job.succeeded", JobStatus.SUCCEEDED),
  JOB_FAILED("job.failed", JobStatus.FAILED),
  JOB_CANCELLED("job.cancelled", JobStatus.CANCELLED),
  JOB_EXPIRED("job.expired", JobStatus.EXPIRED);

  private final String wireName;
  private final JobStatus status;

  EventType(String wireName, JobStatus status) {
    this.wireName = wireName;
    this.status = status;
  }

  public String wireName() {
    return wireName;
  }

  public static Optional<EventType> fromWire(String name) {
    return Arrays.stream(values()).filter(t -> t.wireName.equals(name)).findFirst();
  }

  /** The event of a job that reached {@code status}; empty for a status that is not terminal. */
  public static Optional<EventType> forStatus(JobStatus status) {
    return Arrays.stream(values()).filter(t -> t.status == status).findFirst();
  }

  public static List<String> wireNames() {
    return Arrays.stream(values()).map(EventType::wireName).toList();
  }
}
