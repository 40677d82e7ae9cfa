package io.sluice.jobapi.job;

import java.util.List;

/**
 * One page of a tenant's jobs, newest first.
 *
 * @param jobs the jobs on this page, at most the asked-for limit
 * @param hasMore whether jobs matching the filters come after this page
 * @param next where the next page starts, or {@code null} when there is none
 */
public record JobPage(List<Job> jobs, boolean hasMore, JobCursor next) {
  public JobPage {
    jobs = List.copyOf(jobs);
  }

  /** The page made from up to {@code limit + 1} rows read in list order. */
  public static JobPage of(List<Job> rows, int limit) {
    if (rows.size() <= limit) {
      return new JobPage(rows, false, null);
    }
    List<Job> page = rows.subList(0, limit);
    return new JobPage(page, true, JobCursor.after(page.getLast()));
  }
}
