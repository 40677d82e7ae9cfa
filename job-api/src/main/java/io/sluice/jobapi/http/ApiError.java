package io.sluice.jobapi.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.sluice.jobapi.job.FieldError;
import java.util.List;

/**
 * The body of every error response: {@code {"error": {"type", "message", "fields"?, "status"?}}}.
 *
 * @param error what went wrong
 */
public record ApiError(Detail error) {

  /**
   * @param type a stable machine-readable type, e.g. {@code invalid_request}
   * @param message a human-readable explanation
   * @param fields each bad field, for {@code invalid_request}
   * @param status the job's status, for {@code job_finished}
   */
  @JsonInclude(JsonInclude.Include.NON_EMPTY)
  public record Detail(String type, String message, List<FieldError> fields, String status) {}

  public static ApiError of(String type, String message) {
    return new ApiError(new Detail(type, message, List.of(), null));
  }

  public static ApiError invalid(String message, List<FieldError> fields) {
    return new ApiError(new Detail("invalid_request", message, fields, null));
  }

  /** A request about a job that has already ended, naming the status it ended with. */
  public static ApiError jobFinished(String message, String status) {
    return new ApiError(new Detail("job_finished", message, List.of(), status));
  }

  /** The error type for an HTTP status Sluice does not answer with a more specific type. */
  public static String typeFor(int status) {
    return switch (status) {
      case 400 -> "invalid_request";
      case 401 -> "authentication_failed";
      case 403 -> "forbidden";
      case 404 -> "not_found";
      case 405 -> "method_not_allowed";
      case 406 -> "not_acceptable";
      case 409 -> "conflict";
      case 413 -> "request_too_large";
      case 415 -> "unsupported_media_type";
      case 422 -> "unprocessable";
      case 429 -> "rate_limited";
      case 503 -> "unavailable";
      default -> status >= 500 ? "internal_error" : "invalid_request";
    };
  }
}
