package io.sluice.schemas.job;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How far a failed call's failure reaches: whether another provider or model could answer the same
 * request (a fallback chain's next entry), or whether it would fail everywhere. Workers classify;
 * the dispatcher's fallback policy reads it.
 */
public enum FailureScope {
  /**
   * The request itself is wrong (400, 422, an unusable response schema): it fails on any provider,
   * so it never falls back.
   */
  @JsonProperty("request")
  REQUEST,
  /**
   * This provider cannot answer now: retries exhausted on 5xx, overload, timeouts or rate limits,
   * its circuit open, its account refused (401, 403, quota), or the call can never fit its limits.
   */
  @JsonProperty("provider")
  PROVIDER,
  /** This model is unavailable here (404 model not found, deprecated). */
  @JsonProperty("model")
  MODEL,
  /** The prompt does not fit this model's context window: a model with a larger one may answer. */
  @JsonProperty("context")
  CONTEXT
}
