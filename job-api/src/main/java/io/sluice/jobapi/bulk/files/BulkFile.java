package io.sluice.jobapi.bulk.files;

import java.time.Instant;

/**
 * A stored file: an upload, or a batch's output or error file (produced from its job rows).
 *
 * @param id {@code file-...}
 * @param tenantId the owner
 * @param filename the name the client gave (or {@code batch_..._output.jsonl})
 * @param purpose {@code batch} for uploads, {@code batch_output} for produced files
 * @param kind where the content comes from
 * @param batchId the batch a produced file belongs to, else {@code null}
 * @param bytes the content's size
 * @param createdAt when it was stored
 */
public record BulkFile(
    String id,
    String tenantId,
    String filename,
    String purpose,
    Kind kind,
    String batchId,
    long bytes,
    Instant createdAt) {

  public enum Kind {
    UPLOAD("upload"),
    BATCH_OUTPUT("batch_output"),
    BATCH_ERROR("batch_error");

    private final String wireName;

    Kind(String wireName) {
      this.wireName = wireName;
    }

    public String wireName() {
      return wireName;
    }

    public static Kind fromWireName(String name) {
      for (Kind kind : values()) {
        if (kind.wireName.equals(name)) {
          return kind;
        }
      }
      throw new IllegalArgumentException("unknown file kind " + name);
    }
  }
}
