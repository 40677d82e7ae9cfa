package io.sluice.jobapi.tenant;

/** A request without a valid API key (permanent, HTTP 401). The message never contains the key. */
public final class AuthenticationFailedException extends RuntimeException {
  public AuthenticationFailedException(String message) {
    super(message);
  }
}
