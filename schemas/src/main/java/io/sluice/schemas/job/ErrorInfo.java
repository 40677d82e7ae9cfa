package io.sluice.schemas.job;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * Why a task or job failed.
 *
 * @param code a stable machine-readable code, e.g. {@code provider_rejected}, {@code rate_limited}
 * @param message a human-readable explanation (the provider's own message where there is one)
 * @param retriable whether trying again later may succeed
 * @param scope how far the failure reaches (whether a fallback chain's next entry may answer), or
 *     {@code null} when the worker did not classify it (never falls back)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ErrorInfo(String code, String message, boolean retriable, FailureScope scope) {

  /** An error without a failure scope. */
  public ErrorInfo(String code, String message, boolean retriable) {
    this(code, message, retriable, null);
  }

  public static ErrorInfo permanent(String code, String message) {
    return new ErrorInfo(code, message, false);
  }

  public static ErrorInfo retriable(String code, String message) {
    return new ErrorInfo(code, message, true);
  }

  /** This error, classified as reaching {@code reach}. */
  public ErrorInfo withScope(FailureScope reach) {
    return new ErrorInfo(code, message, retriable, reach);
  }
}
