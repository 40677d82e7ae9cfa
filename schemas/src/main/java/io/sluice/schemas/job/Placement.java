package io.sluice.schemas.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.time.Instant;
import java.util.Objects;

/**
 * Where a deferred task is: waiting for a provider batch, inside one, resubmitted after a failed or
 * expired line, or moved to a realtime lane because its deadline came close. Carried by {@code
 * placed} task results (each move), by the deferred lane's terminal results (the last place) and by
 * the job events made of them; job-api shows it on the job.
 *
 * @param stage where the task is
 * @param providerBatchId the provider's batch ID while it is in one, otherwise {@code null}
 * @param attempt the task's batch attempt, from 1
 * @param since when it got there
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Placement(Stage stage, String providerBatchId, int attempt, Instant since) {

  public Placement {
    Objects.requireNonNull(stage, "stage");
    if (attempt < 1) {
      throw new IllegalArgumentException("attempt must be at least 1: " + attempt);
    }
  }

  /** The places a deferred task moves through. */
  public enum Stage {
    /** Stored by the batch-submitter, waiting for its group's next provider batch. */
    @JsonProperty("pending")
    PENDING,
    /** In an unfinished provider batch ({@code providerBatchId}). */
    @JsonProperty("in_provider_batch")
    IN_PROVIDER_BATCH,
    /** Its line errored or expired and it waits, alone, for a later provider batch. */
    @JsonProperty("resubmitted")
    RESUBMITTED,
    /** Its deadline came close before a batch returned it; it runs on a realtime lane. */
    @JsonProperty("realtime_fallback")
    REALTIME_FALLBACK
  }
}
