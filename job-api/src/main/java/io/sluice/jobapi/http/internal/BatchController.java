package io.sluice.jobapi.http.internal;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.io.buffer.ByteBuffer;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
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
import io.sluice.jobapi.bulk.batches.BatchPage;
import io.sluice.jobapi.bulk.batches.BatchView;
import io.sluice.jobapi.bulk.batches.BulkBatches;
import io.sluice.jobapi.http.ApiError;
import io.sluice.jobapi.http.BatchResource;
import io.sluice.jobapi.http.JobApiBeans;
import io.sluice.jobapi.http.OpenAiListResource;
import io.sluice.jobapi.tenant.Authenticator;
import java.util.Optional;

/** {@code /v1/batches}: OpenAI's Batches API over every model of Sluice's catalogue. */
@Controller("/v1/batches")
@ExecuteOn(TaskExecutors.BLOCKING)
@Requires(property = JobApiBeans.ENABLED, value = "true")
public final class BatchController {
  private final Authenticator authenticator;
  private final BulkBatches batches;

  public BatchController(Authenticator authenticator, BulkBatches batches) {
    this.authenticator = authenticator;
    this.batches = batches;
  }

  /**
   * Creates the batch: its lines are validated and become jobs before this answers, so the batch is
   * {@code in_progress} with every job committed, or {@code failed} with the bad lines.
   */
  @Post(consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
  public BatchResource create(
      @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
      @Nullable @Body ByteBuffer<?> body) {
    String tenantId = authenticator.tenantOf(authorization);
    return BatchResource.of(
        batches.create(tenantId, body == null ? new byte[0] : body.toByteArray()));
  }

  @Get(produces = MediaType.APPLICATION_JSON)
  public OpenAiListResource<BatchResource> list(
      @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
      @Nullable @QueryValue String after,
      @Nullable @QueryValue String limit) {
    String tenantId = authenticator.tenantOf(authorization);
    BatchPage page =
        batches.list(tenantId, after, ListLimits.parse(limit, BulkBatches.MAX_LIMIT, 20));
    return OpenAiListResource.of(
        page.batches().stream().map(BatchResource::of).toList(), BatchResource::id, page.hasMore());
  }

  @Get(uri = "/{id}", produces = MediaType.APPLICATION_JSON)
  public HttpResponse<?> get(
      @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization, @PathVariable String id) {
    String tenantId = authenticator.tenantOf(authorization);
    return answer(batches.find(tenantId, id), id);
  }

  /** Cancels the batch's unfinished jobs; it moves {@code cancelling} → {@code cancelled}. */
  @Post(uri = "/{id}/cancel", produces = MediaType.APPLICATION_JSON)
  @Consumes(MediaType.ALL)
  public HttpResponse<?> cancel(
      @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization, @PathVariable String id) {
    String tenantId = authenticator.tenantOf(authorization);
    return answer(batches.cancel(tenantId, id), id);
  }

  private static HttpResponse<?> answer(Optional<BatchView> batch, String id) {
    return batch
        .<HttpResponse<?>>map(b -> HttpResponse.ok(BatchResource.of(b)))
        .orElseGet(
            () ->
                HttpResponse.notFound(
                    ApiError.of("not_found", "no batch with id '" + id + "' exists for this key")));
  }
}
