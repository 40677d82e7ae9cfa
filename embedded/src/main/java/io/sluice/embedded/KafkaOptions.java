package io.sluice.embedded;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How to start an {@link EmbeddedKafka} broker.
 *
 * @param dataDir the broker's log directory; formatted on first use and reused on later starts, so
 *     topics and records survive a restart
 * @param port the client port on 127.0.0.1, or 0 for a free port
 * @param fastTestSettings short share-group heartbeats, session timeouts and record locks for tests
 * @param stopOnJvmExit whether the broker installs a JVM shutdown hook of its own that stops it;
 *     {@code false} when an owner stops it in order with the clients that use it (JVM hooks run
 *     concurrently, so a broker's own hook would pull it away from clients still closing)
 */
public record KafkaOptions(
    Path dataDir, int port, boolean fastTestSettings, boolean stopOnJvmExit) {

  public KafkaOptions {
    Objects.requireNonNull(dataDir, "dataDir");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535 but was " + port);
    }
  }

  /** A broker that stops itself when the JVM exits, as tests want it. */
  public KafkaOptions(Path dataDir, int port, boolean fastTestSettings) {
    this(dataDir, port, fastTestSettings, true);
  }

  /**
   * These options without the broker's own shutdown hook: the caller closes the broker, e.g. as the
   * last part of an {@code io.sluice.lifecycle.Lifecycle}.
   */
  public KafkaOptions stoppedByOwner() {
    return new KafkaOptions(dataDir, port, fastTestSettings, false);
  }

  /** A persistent broker for local mode on a free port with production-like timeouts. */
  public static KafkaOptions persistent(Path dataDir) {
    return new KafkaOptions(dataDir, 0, false);
  }
}
