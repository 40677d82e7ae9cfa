package io.sluice.embedded.internal;

import io.sluice.embedded.PostgresEndpoint;

/**
 * The per-JVM PostgreSQL as tests see it: closing it does nothing, the shutdown hook stops the
 * server.
 */
public record SharedPostgres(String jdbcUrl, String username, String password, String kind)
    implements PostgresEndpoint {

  @Override
  public void close() {}

  @Override
  public String toString() {
    return "SharedPostgres[" + jdbcUrl + ", user " + username + ", " + kind + "]";
  }
}
