package io.sluice.schemas.json;

/** A payload carries a schema major version this code does not know. Route it to dead letters. */
public final class UnsupportedSchemaVersionException extends RuntimeException {
  private final int found;
  private final int supported;

  public UnsupportedSchemaVersionException(String type, int found, int supported) {
    super(
        type
            + " has schema_version "
            + found
            + ", this build reads only major version "
            + supported);
    this.found = found;
    this.supported = supported;
  }

  public int found() {
    return found;
  }

  public int supported() {
    return supported;
  }
}
