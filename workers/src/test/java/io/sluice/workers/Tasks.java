package io.sluice.workers;

import io.sluice.schemas.Versioned;
import io.sluice.schemas.job.ChatMessage;
import io.sluice.schemas.job.CompletionSpec;
import io.sluice.schemas.task.Lane;
import io.sluice.schemas.task.Task;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Test data: tasks with a given prompt. */
public final class Tasks {
  private Tasks() {}

  public static Task aTask(String provider, Lane lane, String prompt) {
    return aTask(provider, lane, prompt, 64);
  }

  /** A task whose call may answer with at most {@code maxTokens}. */
  public static Task aTask(String provider, Lane lane, String prompt, int maxTokens) {
    String jobId = "job-" + UUID.randomUUID();
    return new Task(
        Versioned.CURRENT,
        Task.completionTaskId(jobId),
        jobId,
        "tenant-1",
        provider,
        lane,
        new CompletionSpec("gpt-4o-mini", List.of(ChatMessage.user(prompt)), maxTokens, null, null),
        10,
        Instant.parse("2025-01-01T00:00:00Z"),
        null);
  }

  /** The same task, its job due by {@code deadline}. */
  public static Task withDeadline(Task task, Instant deadline) {
    return new Task(
        task.schemaVersion(),
        task.taskId(),
        task.jobId(),
        task.tenantId(),
        task.provider(),
        task.lane(),
        task.request(),
        task.estimatedInputTokens(),
        task.createdAt(),
        deadline);
  }
}
