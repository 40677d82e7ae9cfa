package io.sluice.structured;

/**
 * A response schema that is not a usable JSON Schema. The message names the problem (never the
 * model's output); job-api answers it with a 400 on {@code response_schema}.
 */
public final class InvalidResponseSchemaException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public InvalidResponseSchemaException(String problem) {
    super(problem, null, false, false);
  }
}
