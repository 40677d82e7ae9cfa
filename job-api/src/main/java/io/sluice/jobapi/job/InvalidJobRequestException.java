package io.sluice.jobapi.job;

import java.util.List;

/** A request a client must fix before sending it again (permanent, HTTP 400). */
public final class InvalidJobRequestException extends RuntimeException {
  private final List<FieldError> fieldErrors;

  public InvalidJobRequestException(String message, List<FieldError> fieldErrors) {
    super(message);
    this.fieldErrors = List.copyOf(fieldErrors);
  }

  public static InvalidJobRequestException of(List<FieldError> fieldErrors) {
    String summary =
        fieldErrors.size() == 1
            ? "the request has 1 invalid field"
            : "the request has " + fieldErrors.size() + " invalid fields";
    return new InvalidJobRequestException(summary, fieldErrors);
  }

  public List<FieldError> fieldErrors() {
    return fieldErrors;
  }
}
