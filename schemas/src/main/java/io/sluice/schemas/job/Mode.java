package io.sluice.schemas.job;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Whether a job runs on a provider's realtime API, on its batch API (half price, within 24 h), or
 * wherever its deadline allows.
 */
public enum Mode {
  @JsonProperty("realtime")
  REALTIME,
  @JsonProperty("deferred")
  DEFERRED,
  @JsonProperty("auto")
  AUTO;

  /** The default when a job does not say. */
  public static final Mode DEFAULT = REALTIME;
}
