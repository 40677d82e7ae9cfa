package io.sluice.jobapi.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.sluice.jobapi.job.JobCursor;
import io.sluice.jobapi.job.JobPage;
import java.util.List;

/**
 * A page of {@code GET /v1/jobs}: the jobs as {@code GET /v1/jobs/{id}} shows them, newest first,
 * whether more follow, and the cursor to pass as {@code after} for the next page ({@code null} on
 * the last page).
 */
public record JobListResource(
    List<JobResource> data,
    boolean hasMore,
    @JsonInclude(JsonInclude.Include.ALWAYS) String nextCursor) {

  public static JobListResource of(JobPage page) {
    JobCursor next = page.next();
    return new JobListResource(
        page.jobs().stream().map(JobResource::of).toList(),
        page.hasMore(),
        next == null ? null : next.encode());
  }
}
