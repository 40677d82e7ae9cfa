package io.sluice.schemas.job;

import com.fasterxml.jackson.annotation.JsonProperty;

/** How urgently a job should run. Higher priorities are taken from their lanes first. */
public enum Priority {
  @JsonProperty("interactive")
  INTERACTIVE,
  @JsonProperty("standard")
  STANDARD,
  @JsonProperty("bulk")
  BULK;

  /** The default when a job does not say. */
  public static final Priority DEFAULT = STANDARD;
}
