package io.sluice.jobapi.http.internal;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import io.sluice.jobapi.http.ApiError;
import io.sluice.jobapi.http.JobApiBeans;
import jakarta.inject.Singleton;

/**
 * Gives Micronaut's own error responses (unknown route, wrong method, wrong content type, body too
 * large, unreadable arguments, unexpected failures) the same JSON shape as job-api's errors.
 */
@Singleton
@Replaces(ErrorResponseProcessor.class)
@Requires(property = JobApiBeans.ENABLED, value = "true")
final class ApiErrorResponseProcessor implements ErrorResponseProcessor<ApiError> {
  private final long maxBodyBytes;
  private final long maxFileBytes;

  ApiErrorResponseProcessor(
      @Value("${" + JobApiBeans.MAX_BODY_BYTES + "}") long maxBodyBytes,
      @Value("${" + JobApiBeans.MAX_FILE_BYTES + "}") long maxFileBytes) {
    this.maxBodyBytes = maxBodyBytes;
    this.maxFileBytes = maxFileBytes;
  }

  @Override
  @SuppressWarnings("unchecked")
  public MutableHttpResponse<ApiError> processResponse(
      ErrorContext context, MutableHttpResponse<?> response) {
    int status = response.code();
    ApiError body = ApiError.of(ApiError.typeFor(status), messageFor(status, context));
    return ((MutableHttpResponse<ApiError>) response)
        .contentType(MediaType.APPLICATION_JSON_TYPE)
        .body(body);
  }

  private String messageFor(int status, ErrorContext context) {
    return switch (status) {
      case 413 ->
          context.getRequest().getPath().startsWith("/v1/files")
              ? "the file is larger than the limit of "
                  + maxFileBytes
                  + " bytes (setting bulk.maxFileBytes)"
              : "the request body is larger than the limit of " + maxBodyBytes + " bytes";
      case 415 -> "the request body must be JSON: send Content-Type: application/json";
      default ->
          status >= 500
              ? "internal error; retry with the same Idempotency-Key to avoid a duplicate job"
              : context.getErrors().stream()
                  .map(Error::getMessage)
                  .findFirst()
                  .orElse("request failed with HTTP " + status);
    };
  }
}
