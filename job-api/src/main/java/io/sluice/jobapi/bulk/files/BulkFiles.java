package io.sluice.jobapi.bulk.files;

import io.sluice.jobapi.store.Transaction;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/** The files of {@code /v1/files}: every read is of the tenant's own files only. */
public interface BulkFiles {
  int MAX_LIMIT = 10_000;

  /**
   * Stores the {@code multipart/form-data} upload in {@code body} (parts {@code file} and {@code
   * purpose}) as it streams in; an upload over the limit, or with a bad form, keeps nothing. A
   * {@code declaredLength} (the request's Content-Length; {@code null}: none, chunked) that no file
   * within the limit can have is refused before the body is read.
   *
   * @throws FileTooLargeException over {@code bulk.maxFileBytes}
   * @throws io.sluice.jobapi.job.InvalidJobRequestException a bad form, naming the field
   */
  BulkFile upload(String tenantId, String contentType, Long declaredLength, InputStream body)
      throws IOException;

  /** The tenant's file; another tenant's is empty, like a missing one. */
  Optional<BulkFile> find(String tenantId, String fileId);

  /** The tenant's files, newest first, after the file {@code after} (or from the newest). */
  FilePage list(String tenantId, String after, int limit, String purpose);

  /** Deletes the tenant's file and its content; false when there was none. */
  boolean delete(String tenantId, String fileId);

  /** The file's content, read lazily (an upload one chunk at a time). */
  InputStream open(BulkFile file) throws IOException;

  /** Records a produced file (no stored content) in the caller's transaction. */
  void recordProduced(Transaction tx, BulkFile file);
}
