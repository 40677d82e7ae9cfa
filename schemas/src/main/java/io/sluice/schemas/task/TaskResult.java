package io.sluice.schemas.task;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.schemas.Versioned;
import io.sluice.schemas.job.ErrorInfo;
import io.sluice.schemas.job.Placement;
import io.sluice.schemas.job.TokenUsage;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * What became of a task: its output or its error, with usage and cost, or, before that, the news
 * that its first call started ({@link TaskOutcome#STARTED}: no output, usage or end). The value of
 * {@code sluice.task-results}, keyed by job ID. Recorded idempotently by task ID.
 *
 * @param taskId the task
 * @param jobId its job
 * @param tenantId the job's tenant
 * @param outcome started, succeeded or failed
 * @param output the model's output text, when it succeeded
 * @param usage the tokens the provider counted (zero when no call was billed)
 * @param provider the provider that ran it
 * @param model the provider's model name
 * @param costUsd the cost of the call in US dollars, or {@code null} when unknown
 * @param error why it failed, when it failed
 * @param attempts how many provider calls were made
 * @param startedAt when the first attempt started
 * @param finishedAt when the outcome was known; {@code null} for a started task
 * @param placement where the deferred lane has the task ({@link TaskOutcome#PLACED}), or where it
 *     was when it ended; {@code null} on realtime lanes
 * @param realtimeCostUsd what the same call would have cost at the realtime price, for a result
 *     billed at the batch price; otherwise {@code null}
 * @param outputJson the output parsed as JSON, when the task had a response schema and its output
 *     satisfied it; otherwise {@code null}
 * @param repairs how many repair calls (output that did not satisfy the response schema, fed back
 *     with its validation errors) were made; {@code null} for a task without a response schema.
 *     {@code attempts} counts them too, and {@code usage} and {@code costUsd} sum every call
 * @param fallbackAvailable whether the task was sent with an entry of its job's fallback chain
 *     after it ({@link Task#fallbackAvailable()}): a failure may move the job on, and completion
 *     waits for the job's chain if this result overtook it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskResult(
    int schemaVersion,
    String taskId,
    String jobId,
    String tenantId,
    TaskOutcome outcome,
    String output,
    TokenUsage usage,
    String provider,
    String model,
    BigDecimal costUsd,
    ErrorInfo error,
    int attempts,
    Instant startedAt,
    Instant finishedAt,
    Placement placement,
    BigDecimal realtimeCostUsd,
    JsonNode outputJson,
    Integer repairs,
    @JsonInclude(JsonInclude.Include.NON_DEFAULT) boolean fallbackAvailable)
    implements Versioned {

  public TaskResult {
    Objects.requireNonNull(taskId, "taskId");
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(outcome, "outcome");
    usage = usage == null ? TokenUsage.NONE : usage;
    if (outcome == TaskOutcome.PLACED && placement == null) {
      throw new IllegalArgumentException("a placed result needs its placement");
    }
  }

  /** A result of a task without a fallback entry after it. */
  public TaskResult(
      int schemaVersion,
      String taskId,
      String jobId,
      String tenantId,
      TaskOutcome outcome,
      String output,
      TokenUsage usage,
      String provider,
      String model,
      BigDecimal costUsd,
      ErrorInfo error,
      int attempts,
      Instant startedAt,
      Instant finishedAt,
      Placement placement,
      BigDecimal realtimeCostUsd,
      JsonNode outputJson,
      Integer repairs) {
    this(
        schemaVersion,
        taskId,
        jobId,
        tenantId,
        outcome,
        output,
        usage,
        provider,
        model,
        costUsd,
        error,
        attempts,
        startedAt,
        finishedAt,
        placement,
        realtimeCostUsd,
        outputJson,
        repairs,
        false);
  }

  /** A result without structured output. */
  public TaskResult(
      int schemaVersion,
      String taskId,
      String jobId,
      String tenantId,
      TaskOutcome outcome,
      String output,
      TokenUsage usage,
      String provider,
      String model,
      BigDecimal costUsd,
      ErrorInfo error,
      int attempts,
      Instant startedAt,
      Instant finishedAt,
      Placement placement,
      BigDecimal realtimeCostUsd) {
    this(
        schemaVersion,
        taskId,
        jobId,
        tenantId,
        outcome,
        output,
        usage,
        provider,
        model,
        costUsd,
        error,
        attempts,
        startedAt,
        finishedAt,
        placement,
        realtimeCostUsd,
        null,
        null);
  }

  /** A result without placement or realtime price (realtime lanes). */
  public TaskResult(
      int schemaVersion,
      String taskId,
      String jobId,
      String tenantId,
      TaskOutcome outcome,
      String output,
      TokenUsage usage,
      String provider,
      String model,
      BigDecimal costUsd,
      ErrorInfo error,
      int attempts,
      Instant startedAt,
      Instant finishedAt) {
    this(
        schemaVersion,
        taskId,
        jobId,
        tenantId,
        outcome,
        output,
        usage,
        provider,
        model,
        costUsd,
        error,
        attempts,
        startedAt,
        finishedAt,
        null,
        null);
  }

  /** The deferred lane moved the task to {@code placement}. */
  public static TaskResult placed(Task task, Placement placement) {
    return new TaskResult(
        CURRENT,
        task.taskId(),
        task.jobId(),
        task.tenantId(),
        TaskOutcome.PLACED,
        null,
        TokenUsage.NONE,
        task.provider(),
        task.request().model(),
        null,
        null,
        0,
        null,
        null,
        placement,
        null);
  }

  /**
   * The task's deadline passed at {@code expiredAt} before it finished.
   *
   * @param attempts provider calls already made for it
   * @param startedAt when its first call started, or {@code null} if none did
   */
  public static TaskResult expired(Task task, int attempts, Instant startedAt, Instant expiredAt) {
    return new TaskResult(
        CURRENT,
        task.taskId(),
        task.jobId(),
        task.tenantId(),
        TaskOutcome.EXPIRED,
        null,
        TokenUsage.NONE,
        task.provider(),
        task.request().model(),
        null,
        ErrorInfo.permanent("deadline_exceeded", "the job's deadline passed before it finished"),
        attempts,
        startedAt,
        expiredAt);
  }

  /**
   * The task was dropped because its job was cancelled: no (further) provider call was made for it.
   */
  public static TaskResult cancelled(
      Task task, int attempts, Instant startedAt, Instant cancelledAt) {
    return new TaskResult(
        CURRENT,
        task.taskId(),
        task.jobId(),
        task.tenantId(),
        TaskOutcome.CANCELLED,
        null,
        TokenUsage.NONE,
        task.provider(),
        task.request().model(),
        null,
        null,
        attempts,
        startedAt,
        cancelledAt);
  }

  /** This result with where the deferred lane had the task when it ended. */
  public TaskResult withPlacement(Placement where) {
    return copy(c -> c.placement = where);
  }

  /** This result with what it would have cost at the realtime price. */
  public TaskResult withRealtimeCost(BigDecimal realtimeCost) {
    return copy(c -> c.realtimeCostUsd = realtimeCost);
  }

  /**
   * This result with the usage, model and cost of the provider calls made (a task that ended after
   * billed calls: a structured output that never satisfied its schema, a repair call that failed, a
   * cancel or a deadline between repair calls).
   */
  public TaskResult withCalls(TokenUsage callsUsage, String callsModel, BigDecimal callsCostUsd) {
    return copy(
        c -> {
          c.usage = callsUsage;
          c.model = callsModel;
          c.costUsd = callsCostUsd;
        });
  }

  /**
   * This result of a task with a response schema: its output parsed as JSON ({@code null} unless it
   * satisfied the schema) and the repair calls made.
   */
  public TaskResult withStructuredOutput(JsonNode parsed, int repairCalls) {
    return copy(
        c -> {
          c.outputJson = parsed;
          c.repairs = repairCalls;
        });
  }

  /** The fields a wither may change, on a copy of this result. */
  private static final class Changes {
    TokenUsage usage;
    String model;
    BigDecimal costUsd;
    Placement placement;
    BigDecimal realtimeCostUsd;
    JsonNode outputJson;
    Integer repairs;
  }

  private TaskResult copy(java.util.function.Consumer<Changes> change) {
    Changes c = new Changes();
    c.usage = usage;
    c.model = model;
    c.costUsd = costUsd;
    c.placement = placement;
    c.realtimeCostUsd = realtimeCostUsd;
    c.outputJson = outputJson;
    c.repairs = repairs;
    change.accept(c);
    return new TaskResult(
        schemaVersion,
        taskId,
        jobId,
        tenantId,
        outcome,
        output,
        c.usage,
        provider,
        c.model,
        c.costUsd,
        error,
        attempts,
        startedAt,
        finishedAt,
        c.placement,
        c.realtimeCostUsd,
        c.outputJson,
        c.repairs,
        fallbackAvailable);
  }

  /** The task's first provider call was admitted at {@code startedAt} and is under way. */
  public static TaskResult started(Task task, Instant startedAt) {
    return new TaskResult(
        CURRENT,
        task.taskId(),
        task.jobId(),
        task.tenantId(),
        TaskOutcome.STARTED,
        null,
        TokenUsage.NONE,
        task.provider(),
        task.request().model(),
        null,
        null,
        1,
        startedAt,
        null);
  }

  public static TaskResult succeeded(
      Task task,
      String output,
      TokenUsage usage,
      String model,
      BigDecimal costUsd,
      int attempts,
      Instant startedAt,
      Instant finishedAt) {
    return new TaskResult(
        CURRENT,
        task.taskId(),
        task.jobId(),
        task.tenantId(),
        TaskOutcome.SUCCEEDED,
        output,
        usage,
        task.provider(),
        model,
        costUsd,
        null,
        attempts,
        startedAt,
        finishedAt);
  }

  /** The task failed; the result says whether its job's chain had an entry after it. */
  public static TaskResult failed(
      Task task, ErrorInfo error, int attempts, Instant startedAt, Instant finishedAt) {
    return new TaskResult(
        CURRENT,
        task.taskId(),
        task.jobId(),
        task.tenantId(),
        TaskOutcome.FAILED,
        null,
        TokenUsage.NONE,
        task.provider(),
        task.request().model(),
        null,
        error,
        attempts,
        startedAt,
        finishedAt,
        null,
        null,
        null,
        null,
        task.fallbackAvailable());
  }
}
