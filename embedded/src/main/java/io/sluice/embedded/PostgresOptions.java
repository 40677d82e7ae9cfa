package io.sluice.embedded;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How to start an {@link EmbeddedPostgres} server.
 *
 * @param dataDir a directory of its own for the server: the cluster lives in {@code pgdata} below
 *     it (created by initdb on first start, reused afterwards), the server log in {@code
 *     postgres.log}
 * @param port the port on 127.0.0.1, or 0 for a free port
 * @param fastTestSettings trade durability for speed (no fsync); only for throwaway directories
 * @param stopOnJvmExit whether the server installs a JVM shutdown hook of its own that stops it;
 *     {@code false} when an owner stops it in order with the clients that use it
 */
public record PostgresOptions(
    Path dataDir, int port, boolean fastTestSettings, boolean stopOnJvmExit) {

  public PostgresOptions {
    Objects.requireNonNull(dataDir, "dataDir");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535 but was " + port);
    }
  }

  /** A server that stops itself when the JVM exits, as tests want it. */
  public PostgresOptions(Path dataDir, int port, boolean fastTestSettings) {
    this(dataDir, port, fastTestSettings, true);
  }

  /** A durable server, as {@code sluice local} needs it. */
  public PostgresOptions(Path dataDir, int port) {
    this(dataDir, port, false);
  }

  /**
   * These options without the server's own shutdown hook: the caller closes the server, e.g. as the
   * last part of an {@code io.sluice.lifecycle.Lifecycle}.
   */
  public PostgresOptions stoppedByOwner() {
    return new PostgresOptions(dataDir, port, fastTestSettings, false);
  }
}
