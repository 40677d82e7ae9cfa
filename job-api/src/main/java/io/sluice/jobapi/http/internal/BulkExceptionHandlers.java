package io.sluice.jobapi.http.internal;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.sluice.jobapi.bulk.files.FileTooLargeException;
import io.sluice.jobapi.http.ApiError;
import io.sluice.jobapi.http.JobApiBeans;
import jakarta.inject.Singleton;

/** Turns the Files and Batches API's exceptions into JSON error responses. */
final class BulkExceptionHandlers {
  private BulkExceptionHandlers() {}

  @Singleton
  @Produces
  @Requires(property = JobApiBeans.ENABLED, value = "true")
  static final class FileTooLarge
      implements ExceptionHandler<FileTooLargeException, HttpResponse<ApiError>> {
    @Override
    @SuppressWarnings("rawtypes")
    public HttpResponse<ApiError> handle(HttpRequest request, FileTooLargeException e) {
      return HttpResponse.<ApiError>status(HttpStatus.REQUEST_ENTITY_TOO_LARGE)
          .header(HttpHeaders.CONNECTION, "close")
          .body(ApiError.of("request_too_large", e.getMessage()));
    }
  }
}
