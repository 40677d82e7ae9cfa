package io.sluice.jobapi.http.internal;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.sluice.jobapi.budget.BudgetExceededException;
import io.sluice.jobapi.http.ApiError;
import io.sluice.jobapi.http.BudgetRefusal;
import io.sluice.jobapi.http.JobApiBeans;
import io.sluice.jobapi.http.MapReduceRefusal;
import io.sluice.jobapi.idempotency.IdempotencyKeyInFlightException;
import io.sluice.jobapi.idempotency.IdempotencyKeyReusedException;
import io.sluice.jobapi.job.CostCapExceededException;
import io.sluice.jobapi.job.FieldError;
import io.sluice.jobapi.job.InvalidJobRequestException;
import io.sluice.jobapi.job.JobFinishedException;
import io.sluice.jobapi.mapreduce.MapReduceRefused;
import io.sluice.jobapi.store.DatabaseException;
import io.sluice.jobapi.store.GroupCommitClosedException;
import io.sluice.jobapi.tenant.AuthenticationFailedException;
import io.sluice.jobapi.tenant.RequestLimitExceededException;
import io.sluice.jobapi.webhook.InvalidWebhookRequestException;
import io.sluice.jobapi.webhook.WebhookNotFoundException;
import io.sluice.jobapi.webhook.WebhooksNotConfiguredException;
import jakarta.inject.Singleton;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns job-api's exceptions into JSON error responses. */
final class ApiExceptionHandlers {
  private ApiExceptionHandlers() {}

  @Singleton
  @Produces
  @Requires(property = JobApiBeans.ENABLED, value = "true")
  static final class InvalidRequest
      implements ExceptionHandler<InvalidJobRequestException, HttpResponse<ApiError>> {
    @Override
    @SuppressWarnings("rawtypes")
    public HttpResponse<ApiError> handle(HttpRequest request, InvalidJobRequestException e) {
      return HttpResponse.badRequest(ApiError.invalid(e.getMessage(), e.fieldErrors()));
    }
  }

  @Singleton
  @Produces
  @Requires(property = JobApiBeans.ENABLED, value = "true")
  static final class MapReduceRefusedHandler
      implements ExceptionHandler<MapReduceRefused, HttpResponse<MapReduceRefusal>> {
    @Override
    @SuppressWarnings("rawtypes")
    public HttpResponse<MapReduceRefusal> handle(HttpRequest request, MapReduceRefused e) {
      return HttpResponse.<MapReduceRefusal>status(HttpStatus.UNPROCESSABLE_ENTITY)
          .body(MapReduceRefusal.of(e));
    }
  }

  @Singleton
  @Produces
  @Requires(property = JobApiBeans.ENABLED, value = "true")
  static final class CostCapExceeded
      implements ExceptionHandler<CostCapExceededException, HttpResponse<ApiError>> {
    @Override
    @SuppressWarnings("rawtypes")
    public HttpResponse<ApiError> handle(HttpRequest request, CostCapExceededException e) {
      return HttpResponse.<ApiError>status(HttpStatus.UNPROCESSABLE_ENTITY)
          .body(
              new ApiError(
                  new ApiError.Detail(
                      "limit_exceeded",
                      e.getMessage(),
                      List.of(new FieldError(e.field(), e.getMessage())),
                      null)));
    }
  }

  @Singleton
  @Produces
  @Requires(property = JobApiBeans.ENABLED, value = "true")
  static final class BudgetExceeded
      implements ExceptionHandler<BudgetExceededException, HttpResponse<BudgetRefusal>> {
    @Override
    @SuppressWarnings("rawtypes")
    public HttpResponse<BudgetRefusal> handle(HttpRequest request, BudgetExceededException e) {
      return HttpResponse.<BudgetRefusal>status(HttpStatus.TOO_MANY_REQUESTS)
          .header("Retry-After", Long.toString(e.retryAfterSeconds()))
          .body(BudgetRefusal.of(e));
    }
  }

  @Singleton
  @Produces
  @Requires(property = JobApiBeans.ENABLED, value = "true")
  static final class Unauthenticated
      implements ExceptionHandler<AuthenticationFailedException, HttpResponse<ApiError>> {
    @Override
    @SuppressWarnings("rawtypes")
    public HttpResponse<ApiError> handle(HttpRequest request, AuthenticationFailedException e) {
      return HttpResponse.<ApiError>unauthorized()
          .header("WWW-Authenticate", "Bearer")
          .body(ApiError.of("authentication_failed", e.getMessage()));
    }
  }

  @Singleton
  @Produces
  @Requires(property = JobApiBeans.ENABLED, value = "true")
  static final class RateLimited
      implements ExceptionHandler<RequestLimitExceededException, HttpResponse<ApiError>> {
    @Override
    @SuppressWarnings("rawtypes")
    public HttpResponse<ApiError> handle(HttpRequest request, RequestLimitExceededException e) {
      return HttpResponse.<ApiError>status(HttpStatus.TOO_MANY_REQUESTS)
          .header("Retry-After", Long.toString(e.retryAfterSeconds()))
          .body(ApiError.of("rate_limited", e.getMessage()));
    }
  }

  @Singleton
  @Produces
  @Requires(property = JobApiBeans.ENABLED, value = "true")
  static final class KeyReused
      implements ExceptionHandler<IdempotencyKeyReusedException, HttpResponse<ApiError>> {
    @Override
    @SuppressWarnings("rawtypes")
    public HttpResponse<ApiError> handle(HttpRequest request, IdempotencyKeyReusedException e) {
      return HttpResponse.<ApiError>status(HttpStatus.UNPROCESSABLE_ENTITY)
          .body(ApiError.of("idempotency_key_reused", e.getMessage()));
    }
  }

  @Singleton
  @Produces
  @Requires(property = JobApiBeans.ENABLED, value = "true")
  static final class KeyInFlight
      implements ExceptionHandler<IdempotencyKeyInFlightException, HttpResponse<ApiError>> {
    @Override
    @SuppressWarnings("rawtypes")
    public HttpResponse<ApiError> handle(HttpRequest request, IdempotencyKeyInFlightException e) {
      return HttpResponse.<ApiError>status(HttpStatus.CONFLICT)
          .header("Retry-After", "1")
          .body(ApiError.of("idempotency_key_in_flight", e.getMessage()));
    }
  }

  @Singleton
  @Produces
  @Requires(property = JobApiBeans.ENABLED, value = "true")
  static final class JobFinished
      implements ExceptionHandler<JobFinishedException, HttpResponse<ApiError>> {
    @Override
    @SuppressWarnings("rawtypes")
    public HttpResponse<ApiError> handle(HttpRequest request, JobFinishedException e) {
      return HttpResponse.<ApiError>status(HttpStatus.CONFLICT)
          .body(ApiError.jobFinished(e.getMessage(), e.status().wireName()));
    }
  }

  @Singleton
  @Produces
  @Requires(property = JobApiBeans.ENABLED, value = "true")
  static final class InvalidWebhookRequest
      implements ExceptionHandler<InvalidWebhookRequestException, HttpResponse<ApiError>> {
    @Override
    @SuppressWarnings("rawtypes")
    public HttpResponse<ApiError> handle(HttpRequest request, InvalidWebhookRequestException e) {
      return HttpResponse.badRequest(ApiError.invalid(e.getMessage(), e.fieldErrors()));
    }
  }

  @Singleton
  @Produces
  @Requires(property = JobApiBeans.ENABLED, value = "true")
  static final class WebhookNotFound
      implements ExceptionHandler<WebhookNotFoundException, HttpResponse<ApiError>> {
    @Override
    @SuppressWarnings("rawtypes")
    public HttpResponse<ApiError> handle(HttpRequest request, WebhookNotFoundException e) {
      return HttpResponse.notFound(ApiError.of("not_found", e.getMessage()));
    }
  }

  @Singleton
  @Produces
  @Requires(property = JobApiBeans.ENABLED, value = "true")
  static final class WebhooksNotConfigured
      implements ExceptionHandler<WebhooksNotConfiguredException, HttpResponse<ApiError>> {
    @Override
    @SuppressWarnings("rawtypes")
    public HttpResponse<ApiError> handle(HttpRequest request, WebhooksNotConfiguredException e) {
      return HttpResponse.<ApiError>status(HttpStatus.SERVICE_UNAVAILABLE)
          .body(ApiError.of("unavailable", e.getMessage()));
    }
  }

  @Singleton
  @Produces
  @Requires(property = JobApiBeans.ENABLED, value = "true")
  static final class StoreUnavailable
      implements ExceptionHandler<DatabaseException, HttpResponse<ApiError>> {
    private static final Logger LOG = LoggerFactory.getLogger(StoreUnavailable.class);

    @Override
    @SuppressWarnings("rawtypes")
    public HttpResponse<ApiError> handle(HttpRequest request, DatabaseException e) {
      LOG.warn(
          "{} {} failed: {}; answered 503", request.getMethod(), request.getPath(), e.getMessage());
      return HttpResponse.<ApiError>status(HttpStatus.SERVICE_UNAVAILABLE)
          .header("Retry-After", "1")
          .body(
              ApiError.of(
                  "unavailable", "the job store is unavailable; nothing was stored, retry later"));
    }
  }

  @Singleton
  @Produces
  @Requires(property = JobApiBeans.ENABLED, value = "true")
  static final class Stopping
      implements ExceptionHandler<GroupCommitClosedException, HttpResponse<ApiError>> {
    @Override
    @SuppressWarnings("rawtypes")
    public HttpResponse<ApiError> handle(HttpRequest request, GroupCommitClosedException e) {
      return HttpResponse.<ApiError>status(HttpStatus.SERVICE_UNAVAILABLE)
          .header("Retry-After", "1")
          .body(ApiError.of("unavailable", "job-api is stopping; nothing was stored, retry"));
    }
  }
}
