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
 * @param mapReduce the map-reduce job's header, for {@link JobType#MAP_REDUCE} jobs
 * @param chunk one chunk of a map-reduce job's document: job-api publishes one record per chunk,
 *     each with the job's header ({@code mapReduce}), keyed by job ID; the document never travels
 *     whole
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
    Instant deadline,
    MapReduceSpec mapReduce,
    DocumentChunk chunk)
    implements Versioned {

  /** A job record without map-reduce parts. */
  public SubmittedJob(
      int schemaVersion,
      String jobId,
      String tenantId,
      JobType type,
      Priority priority,
      Mode mode,
      CompletionSpec completion,
      Instant submittedAt,
      Instant deadline) {
    this(
        schemaVersion,
        jobId,
        tenantId,
        type,
        priority,
        mode,
        completion,
        submittedAt,
        deadline,
        null,
        null);
  }

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

  /** The header of a map-reduce job at the current schema version; see {@link #withChunk}. */
  public static SubmittedJob mapReduce(
      String jobId,
      String tenantId,
      Priority priority,
      Mode mode,
      MapReduceSpec spec,
      Instant submittedAt,
      Instant deadline) {
    return new SubmittedJob(
        CURRENT,
        jobId,
        tenantId,
        JobType.MAP_REDUCE,
        priority,
        mode,
        null,
        submittedAt,
        deadline,
        spec,
        null);
  }

  /**
   * One chunk of this map-reduce job's document, with the job's header: each chunk record is enough
   * to make its map task and to register the job, in whatever order they arrive.
   */
  public SubmittedJob withChunk(DocumentChunk documentChunk) {
    return new SubmittedJob(
        schemaVersion,
        jobId,
        tenantId,
        type,
        priority,
        mode,
        null,
        submittedAt,
        deadline,
        mapReduce,
        documentChunk);
  }

  /** Whether this record is a chunk of a map-reduce job rather than a job. */
  public boolean carriesChunk() {
    return chunk != null;
  }
}
