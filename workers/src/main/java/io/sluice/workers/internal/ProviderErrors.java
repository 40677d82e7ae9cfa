package io.sluice.workers.internal;

import io.sluice.providers.ProviderException;
import io.sluice.schemas.job.ErrorInfo;
import io.sluice.schemas.job.FailureScope;
import java.util.Locale;
import java.util.Set;

/** Maps provider failures to the {@link ErrorInfo} a task result carries. */
public final class ProviderErrors {
  /** A provider adapter threw something other than a {@link ProviderException}. */
  public static final String UNEXPECTED = "provider_client_error";

  private ProviderErrors() {}

  /** A call refused because the provider's circuit breaker is open. */
  public static final String CIRCUIT_OPEN = "circuit_open";

  private static final Set<String> CONTEXT_CODES =
      Set.of("context_length_exceeded", "string_above_max_length");

  private static final String[] CONTEXT_PHRASES = {
    "context length",
    "context window",
    "maximum context",
    "prompt is too long",
    "too many tokens",
    "exceeds the maximum number of tokens",
    "input token count"
  };

  /**
   * The provider's own code (or {@code http_<status>}), its message, whether to retry, and how far
   * the failure reaches ({@link #scopeOf}) once the worker gives up on it.
   */
  public static ErrorInfo toErrorInfo(ProviderException failure) {
    return new ErrorInfo(
        code(failure), failure.getMessage(), failure.isRetriable(), scopeOf(failure));
  }

  /**
   * How far a failure the worker gives up on reaches, for the dispatcher's fallback policy:
   *
   * <ul>
   *   <li>retriable (5xx, overload, timeouts, rate limits: retries exhausted), 401, 402, 403 and a
   *       permanent 429 (quota): {@link FailureScope#PROVIDER}, another provider may answer;
   *   <li>404: {@link FailureScope#MODEL}, the model is unavailable here;
   *   <li>400, 413, 422 saying the prompt is too long for the model ({@code
   *       context_length_exceeded}, "prompt is too long", ...): {@link FailureScope#CONTEXT};
   *   <li>any other 400, 413, 422, and a request Sluice refused before sending: {@link
   *       FailureScope#REQUEST}, it would fail everywhere;
   *   <li>anything else (a refusal, an unexpected status): {@code null}, never falls back.
   * </ul>
   */
  public static FailureScope scopeOf(ProviderException failure) {
    if (failure.isRetriable()) {
      return FailureScope.PROVIDER;
    }
    int status = failure.httpStatus();
    if (status == 0) {
      return "invalid_request".equals(failure.errorCode()) ? FailureScope.REQUEST : null;
    }
    return switch (status) {
      case 401, 402, 403, 429 -> FailureScope.PROVIDER;
      case 404 -> FailureScope.MODEL;
      case 400, 413, 422 -> tooLong(failure) ? FailureScope.CONTEXT : FailureScope.REQUEST;
      default -> null;
    };
  }

  /** The error of a call the open circuit breaker refused: this provider is failing. */
  public static ErrorInfo circuitOpen(String provider) {
    return ErrorInfo.retriable(
            CIRCUIT_OPEN,
            provider + "'s circuit breaker is open after repeated failures; the call was not made")
        .withScope(FailureScope.PROVIDER);
  }

  private static boolean tooLong(ProviderException failure) {
    if (failure.errorCode() != null && CONTEXT_CODES.contains(failure.errorCode())) {
      return true;
    }
    String message =
        failure.getMessage() == null ? "" : failure.getMessage().toLowerCase(Locale.ROOT);
    for (String phrase : CONTEXT_PHRASES) {
      if (message.contains(phrase)) {
        return true;
      }
    }
    return false;
  }

  /**
   * Classifies an exception that is not a {@link ProviderException} (a bug or an unexpected state
   * in an adapter) as retriable: trying again costs at most the configured attempts.
   */
  public static ProviderException unexpected(String provider, RuntimeException cause) {
    return new ProviderException(
        provider,
        ProviderException.Kind.RETRIABLE,
        0,
        UNEXPECTED,
        cause.getClass().getSimpleName() + ": " + cause.getMessage(),
        null,
        null,
        cause);
  }

  private static String code(ProviderException failure) {
    if (failure.errorCode() != null && !failure.errorCode().isBlank()) {
      return failure.errorCode();
    }
    return failure.httpStatus() > 0 ? "http_" + failure.httpStatus() : "provider_error";
  }
}
