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
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.sluice.jobapi.http.ApiError;
import io.sluice.jobapi.http.EstimateResource;
import io.sluice.jobapi.http.JobApiBeans;
import io.sluice.jobapi.http.JobListResource;
import io.sluice.jobapi.http.JobResource;
import io.sluice.jobapi.idempotency.IdempotencyKey;
import io.sluice.jobapi.job.Cancellation;
import io.sluice.jobapi.job.Job;
import io.sluice.jobapi.job.JobCancels;
import io.sluice.jobapi.job.JobListQueryParser;
import io.sluice.jobapi.job.JobLookup;
import io.sluice.jobapi.job.JobSubmissions;
import io.sluice.jobapi.job.Submission;
import io.sluice.jobapi.tenant.Authenticator;
import io.sluice.jobapi.watch.JobWaits;
import io.sluice.jobapi.watch.WaitDuration;
import java.time.Duration;
import java.util.Optional;
import reactor.core.publisher.Mono;

/** {@code /v1/jobs}: submit, read and cancel a job. Thin: authenticates and hands over. */
@Controller("/v1/jobs")
@ExecuteOn(TaskExecutors.BLOCKING)
@Requires(property = JobApiBeans.ENABLED, value = "true")
public final class JobController {
  private final Authenticator authenticator;
  private final JobSubmissions intake;
  private final JobLookup queries;
  private final JobCancels cancels;
  private final JobWaits waits;
  private final JobEventStream stream;
  private final JobListQueryParser listQueries = new JobListQueryParser();

  public JobController(
      Authenticator authenticator,
      JobSubmissions intake,
      JobLookup queries,
      JobCancels cancels,
      JobWaits waits) {
    this.authenticator = authenticator;
    this.intake = intake;
    this.queries = queries;
    this.cancels = cancels;
    this.waits = waits;
    this.stream = new JobEventStream(waits, HEARTBEAT);
  }

  /** How often an event stream without a change sends a comment line. */
  static final Duration HEARTBEAT = Duration.ofSeconds(15);

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

  /**
   * What a {@code map_reduce} job of this body would split into and cost, at the realtime and the
   * batch price; creates nothing.
   */
  @Post(
      uri = "/estimate",
      consumes = MediaType.APPLICATION_JSON,
      produces = MediaType.APPLICATION_JSON)
  public EstimateResource estimate(
      @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
      @Nullable @Body ByteBuffer<?> body) {
    authenticator.tenantOf(authorization);
    return EstimateResource.of(intake.estimate(body == null ? new byte[0] : body.toByteArray()));
  }

  /** The caller's jobs, newest first, filtered and a page at a time; bad parameters are 400. */
  @Get(produces = MediaType.APPLICATION_JSON)
  public JobListResource list(
      @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization, HttpRequest<?> request) {
    String tenantId = authenticator.tenantOf(authorization);
    return JobListResource.of(
        queries.list(tenantId, listQueries.parse(request.getParameters().asMap())));
  }

  /**
   * The job; with {@code wait} (e.g. {@code 30s}, at most 60 s) a long poll: answered when the job
   * ends or the wait runs out (then with the job as it is), holding no thread meanwhile; a client
   * that goes away cancels its wait.
   */
  @Get(uri = "/{id}", produces = MediaType.APPLICATION_JSON)
  public Mono<HttpResponse<?>> get(
      @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
      @PathVariable String id,
      @Nullable @QueryValue String wait,
      HttpRequest<?> request) {
    String tenantId = authenticator.tenantOf(authorization);
    if (wait == null) {
      return Mono.just(found(queries.find(tenantId, id), id));
    }
    Duration duration = WaitDuration.parse(wait);
    JobWaits.Waiter waiter = new JobWaits.Waiter();
    Runnable release = ConnectionClose.onClose(request, waiter::cancel);
    return Mono.fromFuture(() -> waits.untilEnded(tenantId, id, duration, waiter), true)
        .<HttpResponse<?>>map(job -> found(job, id))
        .doFinally(signal -> release.run())
        .doOnCancel(waiter::cancel);
  }

  /**
   * Server-sent events: the job now, then at each status change (each {@code data} is the job as
   * {@code GET} shows it), closed after the terminal one; {@code : heartbeat} every 15 s without a
   * change.
   */
  @Get(
      uri = "/{id}/events",
      produces = {MediaType.TEXT_EVENT_STREAM, MediaType.APPLICATION_JSON})
  public HttpResponse<?> events(
      @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization, @PathVariable String id) {
    String tenantId = authenticator.tenantOf(authorization);
    if (queries.find(tenantId, id).isEmpty()) {
      return notFound(id).contentType(MediaType.APPLICATION_JSON_TYPE);
    }
    return HttpResponse.ok(stream.of(tenantId, id)).contentType(MediaType.TEXT_EVENT_STREAM_TYPE);
  }

  private static HttpResponse<?> found(Optional<Job> job, String id) {
    return job.<HttpResponse<?>>map(j -> HttpResponse.ok(JobResource.of(j)))
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

  private static io.micronaut.http.MutableHttpResponse<?> notFound(String id) {
    return HttpResponse.notFound(
        ApiError.of("not_found", "no job with id '" + id + "' exists for this key"));
  }
}
