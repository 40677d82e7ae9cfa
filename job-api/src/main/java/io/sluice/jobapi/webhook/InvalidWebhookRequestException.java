package io.sluice.jobapi.webhook;

import io.sluice.jobapi.job.FieldError;
import java.util.List;

/** A webhook request the client must fix (HTTP 400); nothing was changed. */
public final class InvalidWebhookRequestException extends RuntimeException {
  private final List<FieldError> fieldErrors;

  public InvalidWebhookRequestException(List<FieldError> fieldErrors) {
    super(
        fieldErrors.size() == 1
            ? "the request has 1 invalid field"
            : "the request has " + fieldErrors.size() + " invalid fields");
    this.fieldErrors = List.copyOf(fieldErrors);
  }

  public static InvalidWebhookRequestException of(String field, String message) {
    return new InvalidWebhookRequestException(List.of(new FieldError(field, message)));
  }

  public List<FieldError> fieldErrors() {
    return fieldErrors;
  }
}
