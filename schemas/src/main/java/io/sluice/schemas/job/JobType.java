package io.sluice.schemas.job;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The kinds of job Sluice runs. */
public enum JobType {
  /** One model call. */
  @JsonProperty("completion")
  COMPLETION,
  /** A document chunked by tokens, a map call per chunk, then reduce calls. */
  @JsonProperty("map_reduce")
  MAP_REDUCE
}
