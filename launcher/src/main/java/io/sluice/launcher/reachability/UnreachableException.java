package io.sluice.launcher.reachability;

/** A server did not answer a reachability check. The message names the server, never data. */
public final class UnreachableException extends Exception {
  private static final long serialVersionUID = 1L;

  public UnreachableException(String message) {
    super(message);
  }
}
