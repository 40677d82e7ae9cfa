package io.sluice.dispatcher.completion;

import io.sluice.schemas.job.JobStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * What the dispatcher knows about a job's tasks: whether one has started, which have finished, and
 * the terminal status once the job has one. A completion job has one task; a map-reduce job will
 * have many.
 *
 * @param started whether the job's {@code running} event was published
 * @param finishedTaskIds tasks whose result has been recorded
 * @param terminalStatus the job's terminal status, or {@code null} while it is still running
 * @param finishedAt when the dispatcher recorded the terminal status ({@code null} while running,
 *     and in entries written before this field existed)
 */
public record JobProgress(
    boolean started, Set<String> finishedTaskIds, JobStatus terminalStatus, Instant finishedAt) {
  public static final JobProgress NONE = new JobProgress(false, Set.of(), null, null);

  public JobProgress {
    finishedTaskIds = Set.copyOf(finishedTaskIds);
  }

  public boolean hasFinished(String taskId) {
    return finishedTaskIds.contains(taskId);
  }

  public boolean isTerminal() {
    return terminalStatus != null;
  }

  /**
   * Whether this entry may be forgotten: the job ended at least {@code retention} before {@code
   * now}. A running job is never forgotten; a terminal entry without its end time (written before
   * end times were recorded) is.
   */
  public boolean isExpired(Instant now, Duration retention) {
    return isTerminal() && (finishedAt == null || !finishedAt.plus(retention).isAfter(now));
  }

  JobProgress withStarted() {
    return new JobProgress(true, finishedTaskIds, terminalStatus, finishedAt);
  }

  JobProgress withFinished(String taskId, JobStatus status, Instant now) {
    Set<String> finished = new LinkedHashSet<>(finishedTaskIds);
    finished.add(taskId);
    return new JobProgress(started, finished, status, status == null ? null : now);
  }
}
