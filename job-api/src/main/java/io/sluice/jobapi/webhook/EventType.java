package io.sluice.jobapi.webhook;

import io.sluice.schemas.job.JobStatus;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The events Sluice sends by webhook: a job reached a terminal status, or a bulk batch ended (its
 * {@code data} is the batch, its subject ID the batch's ID).
 */
public enum EventType {
  JOB_SUCCEEDED("job.succeeded", JobStatus.SUCCEEDED),
  JOB_FAILED("job.failed", JobStatus.FAILED),
  JOB_CANCELLED("job.cancelled", JobStatus.CANCELLED),
  JOB_EXPIRED("job.expired", JobStatus.EXPIRED),
  BATCH_COMPLETED("batch.completed", null),
  BATCH_FAILED("batch.failed", null),
  BATCH_EXPIRED("batch.expired", null),
  BATCH_CANCELLED("batch.cancelled", null);

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
    return Arrays.stream(values()).filter(t -> t.status != null && t.status == status).findFirst();
  }

  public static List<String> wireNames() {
    return Arrays.stream(values()).map(EventType::wireName).toList();
  }
}
