package io.sluice.jobapi.http;

import io.sluice.jobapi.bulk.files.BulkFile;

/** A file as {@code /v1/files} shows it (OpenAI's file object; {@code created_at} in seconds). */
public record FileResource(
    String id,
    String object,
    long bytes,
    long createdAt,
    String filename,
    String purpose,
    String status) {

  public static FileResource of(BulkFile file) {
    return new FileResource(
        file.id(),
        "file",
        file.bytes(),
        file.createdAt().getEpochSecond(),
        file.filename(),
        file.purpose(),
        "processed");
  }

  /** The answer to {@code DELETE /v1/files/{id}}. */
  public record Deleted(String id, String object, boolean deleted) {
    public static Deleted of(String id) {
      return new Deleted(id, "file", true);
    }
  }
}
