package io.sluice.jobapi.bulk.batches;

import io.sluice.schemas.job.JobStatus;
import java.util.Map;

/**
 * OpenAI's {@code request_counts}: {@code completed} lines succeeded, {@code failed} lines ended
 * otherwise (failed, cancelled, expired); the rest are still queued or running.
 */
public record RequestCounts(long total, long completed, long failed) {
  public static final RequestCounts NONE = new RequestCounts(0, 0, 0);

  public static RequestCounts of(long total, Map<JobStatus, Long> byStatus) {
    long succeeded = byStatus.getOrDefault(JobStatus.SUCCEEDED, 0L);
    long ended =
        byStatus.getOrDefault(JobStatus.FAILED, 0L)
            + byStatus.getOrDefault(JobStatus.CANCELLED, 0L)
            + byStatus.getOrDefault(JobStatus.EXPIRED, 0L);
    return new RequestCounts(total, succeeded, ended);
  }

  public long unfinished() {
    return total - completed - failed;
  }
}
