package io.sluice.schemas.task;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How a task ended. */
public enum TaskOutcome {
  @JsonProperty("succeeded")
  SUCCEEDED,
  @JsonProperty("failed")
  FAILED
}
