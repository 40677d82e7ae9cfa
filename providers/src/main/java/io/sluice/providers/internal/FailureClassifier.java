package io.sluice.providers.internal;

import io.sluice.providers.BatchStatus;
import io.sluice.providers.ProviderException.Kind;
import java.util.Optional;
import java.util.Set;

/**
 * Decides whether a failed provider call may succeed when tried again. The one table of Sluice's
 * failure classification (see the module README):
 *
 * <ol>
 *   <li>429 with a quota code ({@code insufficient_quota}, {@code billing_hard_limit_reached}):
 *       permanent, whatever else the response says: waiting does not add credit.
 *   <li>{@code x-should-retry: true|false}: obeyed, as the official SDKs do.
 *   <li>408, 409, 429 and every 5xx (including Anthropic's 529 overload): retriable.
 *   <li>Any other status (400, 401, 403, 404, 413, 422, other 4xx, unexpected 1xx/3xx): permanent.
 * </ol>
 *
 * Failures without a usable response (timeouts, connection failures, truncated or malformed bodies)
 * are retriable; the transport and the response parsers raise those directly.
 */
public final class FailureClassifier {
  private static final Set<String> QUOTA_CODES =
      Set.of("insufficient_quota", "billing_hard_limit_reached");

  private static final Set<String> RETRIABLE_BATCH_FAILURES =
      Set.of(
          BatchStatus.TOKEN_LIMIT_EXCEEDED,
          "rate_limit_exceeded",
          "server_error",
          "internal_error");

  private static final Set<String> RETRIABLE_ERROR_TYPES =
      Set.of(
          "rate_limit_error",
          "api_error",
          "overloaded_error",
          "timeout_error",
          "rate_limit_exceeded",
          "server_error",
          "batch_expired",
          "batch_cancelled");

  private FailureClassifier() {}

  /**
   * @param httpStatus the response status
   * @param errorCode the provider's error code or type, or {@code null}
   * @param shouldRetry the {@code x-should-retry} header, if present
   */
  public static Kind classify(int httpStatus, String errorCode, Optional<Boolean> shouldRetry) {
    if (httpStatus == 429 && errorCode != null && QUOTA_CODES.contains(errorCode)) {
      return Kind.PERMANENT;
    }
    if (shouldRetry.isPresent()) {
      return shouldRetry.get() ? Kind.RETRIABLE : Kind.PERMANENT;
    }
    return isRetriableStatus(httpStatus) ? Kind.RETRIABLE : Kind.PERMANENT;
  }

  /** 408, 409, 429 and 5xx (which includes 529). */
  public static boolean isRetriableStatus(int httpStatus) {
    return httpStatus == 408 || httpStatus == 409 || httpStatus == 429 || httpStatus >= 500;
  }

  /**
   * Whether an error of this Anthropic type ({@code error.type}) may go away: {@code
   * rate_limit_error}, {@code api_error}, {@code overloaded_error}, {@code timeout_error}. Used for
   * batch result lines, which carry a type but no HTTP status.
   */
  public static boolean isRetriableErrorType(String type) {
    return type != null && RETRIABLE_ERROR_TYPES.contains(type);
  }

  /**
   * Whether a whole OpenAI batch that failed with this code (e.g. {@code token_limit_exceeded}: the
   * enqueued-token cap was reached) may be accepted later.
   */
  public static boolean isRetriableBatchFailure(String code) {
    return code != null && RETRIABLE_BATCH_FAILURES.contains(code);
  }
}
