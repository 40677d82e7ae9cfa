package io.sluice.jobapi.bulk.files;

/** An upload over the configured size limit (HTTP 413); nothing of it was kept. */
public final class FileTooLargeException extends RuntimeException {
  private final long limitBytes;

  public FileTooLargeException(long limitBytes) {
    super(
        "the file is larger than the limit of "
            + limitBytes
            + " bytes (setting bulk.maxFileBytes)");
    this.limitBytes = limitBytes;
  }

  public long limitBytes() {
    return limitBytes;
  }
}
