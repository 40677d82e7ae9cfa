package io.sluice.jobapi.http.internal;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.exceptions.ContentLengthExceededException;
import io.micronaut.http.server.types.files.StreamedFile;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.sluice.jobapi.bulk.files.BulkFile;
import io.sluice.jobapi.bulk.files.BulkFiles;
import io.sluice.jobapi.http.ApiError;
import io.sluice.jobapi.http.FileResource;
import io.sluice.jobapi.http.JobApiBeans;
import io.sluice.jobapi.http.OpenAiListResource;
import io.sluice.jobapi.tenant.Authenticator;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/**
 * {@code /v1/files}: OpenAI's Files API for batch input files, and the output and error files of
 * batches. Uploads stream into the store; content streams out.
 */
@Controller("/v1/files")
@ExecuteOn(TaskExecutors.BLOCKING)
@Requires(property = JobApiBeans.ENABLED, value = "true")
public final class FileController {
  private final Authenticator authenticator;
  private final BulkFiles files;

  public FileController(Authenticator authenticator, BulkFiles files) {
    this.authenticator = authenticator;
    this.files = files;
  }

  @Post(produces = MediaType.APPLICATION_JSON)
  @Consumes(MediaType.ALL)
  public FileResource upload(
      @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
      @Nullable @Header(HttpHeaders.CONTENT_TYPE) String contentType,
      @Nullable @Header(HttpHeaders.CONTENT_LENGTH) Long contentLength,
      @Body InputStream body)
      throws IOException {
    String tenantId = authenticator.tenantOf(authorization);
    try {
      return FileResource.of(files.upload(tenantId, contentType, contentLength, body));
    } catch (IOException e) {
      // A body over the server's limit fails while it is read: answered 413 like the rest.
      if (e.getCause() instanceof ContentLengthExceededException tooLong) {
        throw tooLong;
      }
      throw e;
    }
  }

  @Get(produces = MediaType.APPLICATION_JSON)
  public OpenAiListResource<FileResource> list(
      @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
      @Nullable @QueryValue String after,
      @Nullable @QueryValue String limit,
      @Nullable @QueryValue String purpose) {
    String tenantId = authenticator.tenantOf(authorization);
    var page =
        files.list(tenantId, after, ListLimits.parse(limit, BulkFiles.MAX_LIMIT, 100), purpose);
    return OpenAiListResource.of(
        page.files().stream().map(FileResource::of).toList(), FileResource::id, page.hasMore());
  }

  @Get(uri = "/{id}", produces = MediaType.APPLICATION_JSON)
  public HttpResponse<?> get(
      @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization, @PathVariable String id) {
    String tenantId = authenticator.tenantOf(authorization);
    return found(files.find(tenantId, id), id).map(f -> HttpResponse.ok(FileResource.of(f)));
  }

  /** The content, streamed: an upload chunk by chunk, a batch's result file from its job rows. */
  // Any Accept: OpenAI's SDKs ask for application/binary.
  @Get(uri = "/{id}/content", produces = MediaType.ALL)
  public HttpResponse<?> content(
      @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization, @PathVariable String id)
      throws IOException {
    String tenantId = authenticator.tenantOf(authorization);
    Optional<BulkFile> file = files.find(tenantId, id);
    if (file.isEmpty()) {
      return HttpResponse.notFound(
              ApiError.of("not_found", "no file with id '" + id + "' exists for this key"))
          .contentType(MediaType.APPLICATION_JSON_TYPE);
    }
    return HttpResponse.ok(
            new StreamedFile(files.open(file.get()), MediaType.APPLICATION_OCTET_STREAM_TYPE))
        .contentType("application/jsonl");
  }

  @Delete(uri = "/{id}", produces = MediaType.APPLICATION_JSON)
  @Consumes(MediaType.ALL)
  public HttpResponse<?> delete(
      @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization, @PathVariable String id) {
    String tenantId = authenticator.tenantOf(authorization);
    return files.delete(tenantId, id) ? HttpResponse.ok(FileResource.Deleted.of(id)) : notFound(id);
  }

  private static Found<BulkFile> found(Optional<BulkFile> file, String id) {
    return new Found<>(file, id);
  }

  private record Found<T>(Optional<T> value, String id) {
    HttpResponse<?> map(java.util.function.Function<T, HttpResponse<?>> ok) {
      return value.<HttpResponse<?>>map(ok).orElseGet(() -> notFound(id));
    }
  }

  static HttpResponse<?> notFound(String id) {
    return HttpResponse.notFound(
        ApiError.of("not_found", "no file with id '" + id + "' exists for this key"));
  }
}
