package io.sluice.workers.internal;

import io.sluice.providers.ProviderException;
import io.sluice.schemas.job.ErrorInfo;

/** Maps provider failures to the {@link ErrorInfo} a task result carries. */
public final class ProviderErrors {
  /** A provider adapter threw something other than a {@link ProviderException}. */
  public static final String UNEXPECTED = "provider_client_error";

  private ProviderErrors() {}

  /** The provider's own code (or {@code http_<status>}), its message, and whether to retry. */
  public static ErrorInfo toErrorInfo(ProviderException failure) {
    return new ErrorInfo(code(failure), failure.getMessage(), failure.isRetriable());
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
