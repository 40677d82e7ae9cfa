package io.sluice.providers.internal;

/** A 2xx body that does not have the shape the provider documents. */
public class MalformedBodyException extends RuntimeException {
  /**
   * @param problem what is missing or wrong, never the body itself
   */
  public MalformedBodyException(String problem) {
    super(problem);
  }
}
