package io.sluice.jobapi.store;

/** A {@link GroupCommit} is closing and took nothing: retrying against another instance is safe. */
public final class GroupCommitClosedException extends RuntimeException {
  public GroupCommitClosedException(String name) {
    super(name + " is stopping; nothing was stored");
  }
}
