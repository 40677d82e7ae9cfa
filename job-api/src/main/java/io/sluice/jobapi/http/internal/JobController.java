package io.sluice.jobapi.http.internal;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.io.buffer.ByteBuffer;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.sluice.jobapi.http.ApiError;
import io.sluice.jobapi.http.JobApiBeans;
import io.sluice.jobapi.http.JobListResource;
import io.sluice.jobapi.http.JobResource;
import io.sluice.jobapi.idempotency.IdempotencyKey;
import io.sluice.jobapi.job.Cancellation;
import io.sluice.jobapi.job.JobCancels;
import io.sluice.jobapi.job.JobListQueryParser;
import io.sluice.jobapi.job.JobLookup;
import io.sluice.jobapi.job.JobSubmissions;
import io.sluice.jobapi.job.Submission;
import io.sluice.jobapi.tenant.Authenticator;

/** {@code /v1/jobs}: submit, read and cancel a job. Thin: authenticates and hands over. */
@Controller("/v1/jobs")
@ExecuteOn(TaskExecutors.BLOCKING)
@Requires(property = JobApiBeans.ENABLED, value = "true")
public final class JobController {
  private final Authenticator authenticator;
  private final JobSubmissions intake;
  private final JobLookup queries;
  private final JobCancels cancels;
  private final JobListQueryParser listQueries = new JobListQueryParser();

  public JobController(
      Authenticator authenticator, JobSubmissions intake, JobLookup queries, JobCancels cancels) {
    this.authenticator = authenticator;
    this.intake = intake;
    this.queries = queries;
    this.cancels = cancels;
  }

  @Post(consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
  public HttpResponse<JobResource> create(
      @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
      @Nullable @Header(IdempotencyKey.HEADER) String idempotencyKey,
      @Nullable @Body ByteBuffer<?> body) {
    String tenantId = authenticator.tenantOf(authorization);
    // The raw bytes: the parser refuses invalid UTF-8 instead of reading it as U+FFFD.
    Submission submission =
        intake.submit(tenantId, body == null ? new byte[0] : body.toByteArray(), idempotencyKey);
    JobResource resource = JobResource.of(submission.job());
    return HttpResponse.<JobResource>status(
            submission.created() ? HttpStatus.ACCEPTED : HttpStatus.OK)
        .header(HttpHeaders.LOCATION, "/v1/jobs/" + resource.id())
        .body(resource);
  }

  /** The caller's jobs, newest first, filtered and a page at a time; bad parameters are 400. */
  @Get(produces = MediaType.APPLICATION_JSON)
  public JobListResource list(
      @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization, HttpRequest<?> request) {
    String tenantId = authenticator.tenantOf(authorization);
    return JobListResource.of(
        queries.list(tenantId, listQueries.parse(request.getParameters().asMap())));
  }

  @Get(uri = "/{id}", produces = MediaType.APPLICATION_JSON)
  public HttpResponse<?> get(
      @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization, @PathVariable String id) {
    String tenantId = authenticator.tenantOf(authorization);
    return queries
        .find(tenantId, id)
        .<HttpResponse<?>>map(job -> HttpResponse.ok(JobResource.of(job)))
        .orElseGet(() -> notFound(id));
  }

  /**
   * 202 with the job as it is now (the dispatcher's event ends it), 200 when it had already ended
   * {@code cancelled}; a job that ended otherwise is a {@code JobFinishedException} (409). Any body
   * and content type are ignored.
   */
  @Post(uri = "/{id}/cancel", produces = MediaType.APPLICATION_JSON)
  @Consumes(MediaType.ALL)
  public HttpResponse<?> cancel(
      @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization, @PathVariable String id) {
    String tenantId = authenticator.tenantOf(authorization);
    return cancels
        .cancel(tenantId, id)
        .<HttpResponse<?>>map(JobController::cancelled)
        .orElseGet(() -> notFound(id));
  }

  private static HttpResponse<?> cancelled(Cancellation cancellation) {
    HttpStatus status = cancellation.alreadyCancelled() ? HttpStatus.OK : HttpStatus.ACCEPTED;
    return HttpResponse.status(status).body(JobResource.of(cancellation.job()));
  }

  private static HttpResponse<?> notFound(String id) {
    return HttpResponse.notFound(
        ApiError.of("not_found", "no job with id '" + id + "' exists for this key"));
  }
}
