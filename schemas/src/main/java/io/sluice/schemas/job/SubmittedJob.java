package io.sluice.schemas.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.sluice.schemas.Versioned;
import java.time.Instant;
import java.util.Objects;

/**
 * An accepted job, as job-api publishes it to {@code sluice.jobs.submitted} once it is durable.
 *
 * @param jobId the job's ID
 * @param tenantId the tenant that owns it
 * @param type what kind of job it is
 * @param priority its priority, which picks the realtime lane
 * @param mode realtime, deferred or auto
 * @param completion the model call, for {@link JobType#COMPLETION} jobs
 * @param submittedAt when job-api accepted it
 * @param deadline when it must be done by, or {@code null}
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SubmittedJob(
    int schemaVersion,
    String jobId,
    String tenantId,
    JobType type,
    Priority priority,
    Mode mode,
    CompletionSpec completion,
    Instant submittedAt,
    Instant deadline)
    implements Versioned {

  public SubmittedJob {
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(type, "type");
    priority = priority == null ? Priority.DEFAULT : priority;
    mode = mode == null ? Mode.DEFAULT : mode;
  }

  /** A completion job at the current schema version. */
  public static SubmittedJob completion(
      String jobId,
      String tenantId,
      Priority priority,
      Mode mode,
      CompletionSpec completion,
      Instant submittedAt,
      Instant deadline) {
    return new SubmittedJob(
        CURRENT,
        jobId,
        tenantId,
        JobType.COMPLETION,
        priority,
        mode,
        completion,
        submittedAt,
        deadline);
  }
}
