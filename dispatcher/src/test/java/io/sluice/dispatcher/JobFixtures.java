package io.sluice.dispatcher;

import io.sluice.schemas.Versioned;
import io.sluice.schemas.job.ChatMessage;
import io.sluice.schemas.job.CompletionSpec;
import io.sluice.schemas.job.ErrorInfo;
import io.sluice.schemas.job.JobType;
import io.sluice.schemas.job.Mode;
import io.sluice.schemas.job.Placement;
import io.sluice.schemas.job.Priority;
import io.sluice.schemas.job.SubmittedJob;
import io.sluice.schemas.job.TokenUsage;
import io.sluice.schemas.model.ModelCatalog;
import io.sluice.schemas.task.Task;
import io.sluice.schemas.task.TaskOutcome;
import io.sluice.schemas.task.TaskResult;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

/** Test data: jobs and task results as job-api and the workers would publish them. */
public final class JobFixtures {
  public static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
  public static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

  /** Two providers, a model each and an alias, so routing by model and alias can be told apart. */
  public static final ModelCatalog MODELS =
      ModelCatalog.builder()
          .model("gpt-4o-mini", "openai")
          .model("claude-haiku-4-5", "anthropic")
          .model("gemini-2.5-flash", "gemini")
          .alias("fast", "gpt-4o-mini")
          .alias("cheap", "claude-haiku-4-5")
          .build();

  private JobFixtures() {}

  public static JobBuilder aJob() {
    return new JobBuilder();
  }

  public static TaskResult aSuccessFor(SubmittedJob job) {
    return new TaskResult(
        Versioned.CURRENT,
        Task.completionTaskId(job.jobId()),
        job.jobId(),
        job.tenantId(),
        TaskOutcome.SUCCEEDED,
        "cba",
        new TokenUsage(12, 3),
        "openai",
        "gpt-4o-mini",
        new BigDecimal("0.0000036"),
        null,
        2,
        NOW.plusSeconds(1),
        NOW.plusSeconds(2));
  }

  /** A worker started the job's task at {@code NOW + 1 s}. */
  public static TaskResult aStartFor(SubmittedJob job) {
    return new TaskResult(
        Versioned.CURRENT,
        Task.completionTaskId(job.jobId()),
        job.jobId(),
        job.tenantId(),
        TaskOutcome.STARTED,
        null,
        TokenUsage.NONE,
        "openai",
        "gpt-4o-mini",
        null,
        null,
        1,
        NOW.plusSeconds(1),
        null);
  }

  /**
   * The deferred lane moved the job's task to {@code stage} (attempt {@code attempt}, in provider
   * batch {@code batchId} or none) at {@code NOW + 1 s}.
   */
  public static TaskResult aPlacementFor(
      SubmittedJob job, Placement.Stage stage, int attempt, String batchId) {
    return new TaskResult(
        Versioned.CURRENT,
        Task.completionTaskId(job.jobId()),
        job.jobId(),
        job.tenantId(),
        TaskOutcome.PLACED,
        null,
        TokenUsage.NONE,
        "openai",
        "gpt-4o-mini",
        null,
        null,
        0,
        null,
        null,
        new Placement(stage, batchId, attempt, NOW.plusSeconds(1)),
        null);
  }

  /**
   * The job's task came back from provider batch {@code batchId} at {@code finishedAt}: succeeded
   * at the batch price (half), with the realtime price beside it.
   */
  public static TaskResult aBatchSuccessFor(SubmittedJob job, String batchId, Instant finishedAt) {
    return new TaskResult(
        Versioned.CURRENT,
        Task.completionTaskId(job.jobId()),
        job.jobId(),
        job.tenantId(),
        TaskOutcome.SUCCEEDED,
        "cba",
        new TokenUsage(12, 3),
        "openai",
        "gpt-4o-mini",
        new BigDecimal("0.0000018"),
        null,
        1,
        NOW.plusSeconds(1),
        finishedAt,
        new Placement(Placement.Stage.IN_PROVIDER_BATCH, batchId, 1, NOW.plusSeconds(1)),
        new BigDecimal("0.0000036"));
  }

  /** The deferred lane gave up on the job's task at its deadline, {@code NOW + 1 h}. */
  public static TaskResult anExpiryFor(SubmittedJob job) {
    return new TaskResult(
        Versioned.CURRENT,
        Task.completionTaskId(job.jobId()),
        job.jobId(),
        job.tenantId(),
        TaskOutcome.EXPIRED,
        null,
        TokenUsage.NONE,
        "openai",
        "gpt-4o-mini",
        null,
        ErrorInfo.permanent("deadline_exceeded", "the job's deadline passed before it finished"),
        1,
        null,
        NOW.plusSeconds(3600),
        new Placement(Placement.Stage.IN_PROVIDER_BATCH, "batch_1", 1, NOW.plusSeconds(1)),
        null);
  }

  public static TaskResult aFailureFor(SubmittedJob job) {
    return new TaskResult(
        Versioned.CURRENT,
        Task.completionTaskId(job.jobId()),
        job.jobId(),
        job.tenantId(),
        TaskOutcome.FAILED,
        null,
        TokenUsage.NONE,
        "openai",
        "gpt-4o-mini",
        null,
        ErrorInfo.permanent("provider_rejected", "the provider refused the request"),
        3,
        NOW.plusSeconds(1),
        NOW.plusSeconds(5));
  }

  /** Builds a completion job; defaults: model {@code gpt-4o-mini}, standard, realtime. */
  public static final class JobBuilder {
    private static int sequence;

    private String jobId = "job-" + ++sequence;
    private JobType type = JobType.COMPLETION;
    private Priority priority = Priority.STANDARD;
    private Mode mode = Mode.REALTIME;
    private String model = "gpt-4o-mini";
    private List<ChatMessage> messages = List.of(ChatMessage.user("reverse: abc"));
    private Instant deadline;
    private List<String> fallback;
    private String tenant = "tenant-a";

    public JobBuilder withId(String jobId) {
      this.jobId = jobId;
      return this;
    }

    public JobBuilder withType(JobType type) {
      this.type = type;
      return this;
    }

    public JobBuilder withPriority(Priority priority) {
      this.priority = priority;
      return this;
    }

    public JobBuilder withMode(Mode mode) {
      this.mode = mode;
      return this;
    }

    public JobBuilder withModel(String model) {
      this.model = model;
      return this;
    }

    public JobBuilder withMessages(List<ChatMessage> messages) {
      this.messages = messages;
      return this;
    }

    public JobBuilder withTenant(String tenant) {
      this.tenant = tenant;
      return this;
    }

    public JobBuilder withDeadline(Instant deadline) {
      this.deadline = deadline;
      return this;
    }

    /** The job's own fallback chain ({@code null}: the deployment's; empty: none). */
    public JobBuilder withFallback(List<String> chain) {
      this.fallback = chain;
      return this;
    }

    public SubmittedJob build() {
      var spec =
          messages == null
              ? null
              : new CompletionSpec(model, messages, 64, 0.0, null, null, fallback, null);
      return new SubmittedJob(
          Versioned.CURRENT,
          jobId,
          tenant,
          type,
          priority,
          mode,
          spec,
          NOW.minusSeconds(1),
          deadline);
    }
  }
}
