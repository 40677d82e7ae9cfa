package io.sluice.launcher.admin;

/** An admin command that cannot be done (exit code 1): the message says why. */
final class AdminException extends RuntimeException {
  AdminException(String message) {
    super(message);
  }
}
