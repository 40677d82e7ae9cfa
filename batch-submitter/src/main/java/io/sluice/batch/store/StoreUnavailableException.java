package io.sluice.batch.store;

/**
 * PostgreSQL could not be reached or refused a statement. Retriable: the loops back off and try the
 * same step again; nothing was committed by the failed transaction. The message names the operation
 * and the SQL state only, never data.
 */
public final class StoreUnavailableException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StoreUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }
}
