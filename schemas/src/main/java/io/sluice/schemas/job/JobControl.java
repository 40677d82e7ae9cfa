package io.sluice.schemas.job;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.sluice.schemas.Versioned;
import java.time.Instant;

/**
 * A command about a running job; the value of {@code sluice.jobs.control}.
 *
 * @param jobId the job
 * @param tenantId its tenant
 * @param action what to do
 * @param requestedAt when it was asked for
 */
public record JobControl(
    int schemaVersion, String jobId, String tenantId, Action action, Instant requestedAt)
    implements Versioned {

  /** What a control record asks for. */
  public enum Action {
    @JsonProperty("cancel")
    CANCEL
  }

  public static JobControl cancel(String jobId, String tenantId, Instant requestedAt) {
    return new JobControl(CURRENT, jobId, tenantId, Action.CANCEL, requestedAt);
  }
}
