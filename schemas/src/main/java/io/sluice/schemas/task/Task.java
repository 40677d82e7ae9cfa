package io.sluice.schemas.task;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.sluice.schemas.Versioned;
import io.sluice.schemas.job.CompletionSpec;
import java.time.Instant;
import java.util.Objects;

/**
 * One model call, routed to a provider and lane; the value of {@code
 * sluice.tasks.<provider>.<lane>}.
 *
 * @param taskId the task's ID, derived from the job ID so that a replay yields the same ID
 * @param jobId the job this task belongs to
 * @param tenantId the tenant that owns the job
 * @param provider the provider that runs it, e.g. {@code openai}
 * @param lane the lane it was queued on
 * @param request the call, with the provider's model name already resolved
 * @param estimatedInputTokens the dispatcher's estimate of the prompt's tokens
 * @param createdAt when the dispatcher created it
 * @param deadline when its job must be done by, or {@code null}
 * @param fallbackAvailable whether its job's fallback chain has an entry after this one: a worker
 *     then gives the task up at once when its provider's circuit is open, instead of waiting
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Task(
    int schemaVersion,
    String taskId,
    String jobId,
    String tenantId,
    String provider,
    Lane lane,
    CompletionSpec request,
    long estimatedInputTokens,
    Instant createdAt,
    Instant deadline,
    boolean fallbackAvailable)
    implements Versioned {

  /** A task without a fallback entry after it. */
  public Task(
      int schemaVersion,
      String taskId,
      String jobId,
      String tenantId,
      String provider,
      Lane lane,
      CompletionSpec request,
      long estimatedInputTokens,
      Instant createdAt,
      Instant deadline) {
    this(
        schemaVersion,
        taskId,
        jobId,
        tenantId,
        provider,
        lane,
        request,
        estimatedInputTokens,
        createdAt,
        deadline,
        false);
  }

  public Task {
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(lane, "lane");
    Objects.requireNonNull(request, "request");
  }

  /**
   * The same task making another call: {@code nextRequest} (a repair call's longer conversation),
   * estimated at {@code nextEstimate} input tokens.
   */
  public Task withRequest(CompletionSpec nextRequest, long nextEstimate) {
    return new Task(
        schemaVersion,
        taskId,
        jobId,
        tenantId,
        provider,
        lane,
        nextRequest,
        nextEstimate,
        createdAt,
        deadline,
        fallbackAvailable);
  }

  /**
   * This task moved to the next entry of its fallback chain: {@code nextProvider} with {@code
   * nextRequest} (the provider's model name), on {@code nextLane}, created at {@code now}.
   */
  public Task fallenBackTo(
      String nextProvider,
      Lane nextLane,
      CompletionSpec nextRequest,
      long nextEstimate,
      Instant now,
      boolean anotherAfter) {
    return new Task(
        schemaVersion,
        taskId,
        jobId,
        tenantId,
        nextProvider,
        nextLane,
        nextRequest,
        nextEstimate,
        now,
        deadline,
        anotherAfter);
  }

  /** This task, saying whether a fallback entry follows it. */
  public Task withFallbackAvailable(boolean anotherAfter) {
    return new Task(
        schemaVersion,
        taskId,
        jobId,
        tenantId,
        provider,
        lane,
        request,
        estimatedInputTokens,
        createdAt,
        deadline,
        anotherAfter);
  }

  /** The ID of the single task of a completion job. */
  public static String completionTaskId(String jobId) {
    return jobId + ".c";
  }

  /** The ID of the map task of chunk {@code index} of a map-reduce job. */
  public static String mapTaskId(String jobId, int index) {
    return jobId + ".m" + index;
  }

  /** The ID of reduce call {@code index} of level {@code level} of a map-reduce job. */
  public static String reduceTaskId(String jobId, int level, int index) {
    return jobId + ".r" + level + "." + index;
  }
}
