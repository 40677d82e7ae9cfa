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
 */
public record KafkaOptions(Path dataDir, int port, boolean fastTestSettings) {

  public KafkaOptions {
    Objects.requireNonNull(dataDir, "dataDir");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0..65535 but was " + port);
    }
  }

  /** A persistent broker for local mode on a free port with production-like timeouts. */
  public static KafkaOptions persistent(Path dataDir) {
    return new KafkaOptions(dataDir, 0, false);
  }
}
