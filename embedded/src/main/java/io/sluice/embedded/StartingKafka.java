package io.sluice.embedded;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * An embedded broker that is still coming up ({@link EmbeddedKafka#launch}): its address is known
 * at once, so clients can be built and start connecting while it starts. Closing it waits for the
 * start to end and then stops the broker.
 */
public final class StartingKafka implements KafkaEndpoint {
  private final String bootstrapServers;
  private final CompletableFuture<KafkaEndpoint> started;

  StartingKafka(String bootstrapServers, CompletableFuture<KafkaEndpoint> started) {
    this.bootstrapServers = Objects.requireNonNull(bootstrapServers, "bootstrapServers");
    this.started = Objects.requireNonNull(started, "started");
  }

  @Override
  public String bootstrapServers() {
    return bootstrapServers;
  }

  /**
   * Waits until the broker accepts clients.
   *
   * @throws IllegalStateException if it failed to start or did not start within the timeout
   */
  public KafkaEndpoint awaitStarted(Duration timeout) {
    try {
      return started.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException failure
          ? failure
          : new IllegalStateException("Kafka did not start", e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "Kafka at " + bootstrapServers + " did not start within " + timeout, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for Kafka to start", e);
    }
  }

  /** Waits for the start to end, then stops the broker if it started. Idempotent. */
  @Override
  public void close() {
    try {
      started.join().close();
    } catch (RuntimeException failedToStart) {
      // nothing runs: the start failed and was reported by the one who waited for it
    }
  }

  @Override
  public String toString() {
    return "StartingKafka[" + bootstrapServers + "]";
  }
}
