package io.sluice.schemas.job;

/**
 * Why a task or job failed.
 *
 * @param code a stable machine-readable code, e.g. {@code provider_rejected}, {@code rate_limited}
 * @param message a human-readable explanation (the provider's own message where there is one)
 * @param retriable whether trying again later may succeed
 */
public record ErrorInfo(String code, String message, boolean retriable) {
  public static ErrorInfo permanent(String code, String message) {
    return new ErrorInfo(code, message, false);
  }

  public static ErrorInfo retriable(String code, String message) {
    return new ErrorInfo(code, message, true);
  }
}
