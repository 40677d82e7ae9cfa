package io.sluice.bench.intake;

import java.util.List;

/**
 * "Every 202 means committed": the job IDs of the run's {@code 202} responses looked up in the
 * platform's PostgreSQL after the run.
 *
 * @param acceptedResponses {@code 202} responses with a job ID
 * @param distinctIds distinct IDs among them (fewer would mean an ID answered twice)
 * @param found IDs with a row in {@code jobs}
 * @param missingExamples up to ten IDs without one
 */
public record CommittedCheck(
    long acceptedResponses, long distinctIds, long found, List<String> missingExamples) {

  public long missing() {
    return distinctIds - found;
  }

  /** Whether every accepted job is there, and no ID was given twice. */
  public boolean holds() {
    return found == distinctIds && distinctIds == acceptedResponses;
  }
}
