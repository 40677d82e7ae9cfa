package io.sluice.dispatcher.completion;

import io.sluice.schemas.job.JobStatus;
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
 */
public record JobProgress(boolean started, Set<String> finishedTaskIds, JobStatus terminalStatus) {
  public static final JobProgress NONE = new JobProgress(false, Set.of(), null);

  public JobProgress {
    finishedTaskIds = Set.copyOf(finishedTaskIds);
  }

  public boolean hasFinished(String taskId) {
    return finishedTaskIds.contains(taskId);
  }

  public boolean isTerminal() {
    return terminalStatus != null;
  }

  JobProgress withStarted() {
    return new JobProgress(true, finishedTaskIds, terminalStatus);
  }

  JobProgress withFinished(String taskId, JobStatus status) {
    Set<String> finished = new LinkedHashSet<>(finishedTaskIds);
    finished.add(taskId);
    return new JobProgress(started, finished, status);
  }
}
