package io.sluice.embedded;

import io.sluice.embedded.internal.FreePorts;
import io.sluice.embedded.internal.KafkaBrokerConfig;
import io.sluice.embedded.internal.KafkaStorage;
import io.sluice.embedded.internal.QuietLogging;
import io.sluice.embedded.internal.ShutdownHooks;
import io.sluice.embedded.internal.StaleRegistrationRemoval;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A one-node Kafka cluster (KRaft broker and controller in one server) running inside this JVM on
 * 127.0.0.1. The log directory is formatted on first start and reused afterwards, so a restart on
 * the same directory keeps topics, records, committed offsets and share-group state.
 */
public final class EmbeddedKafka implements KafkaEndpoint {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);
  private static final int START_ATTEMPTS_ON_FREE_PORTS = 3;
  private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);

  private final KafkaRaftServer server;
  private final KafkaBrokerConfig config;
  private Thread shutdownHook;
  private boolean closed;

  private EmbeddedKafka(KafkaRaftServer server, KafkaBrokerConfig config) {
    this.server = server;
    this.config = config;
  }

  private EmbeddedKafka stopOnExit(boolean wanted) {
    if (wanted) {
      shutdownHook = ShutdownHooks.register("sluice-embedded-kafka-stop", this::close);
    }
    return this;
  }

  /**
   * Starts a broker and returns once it accepts clients. It stops on {@link #close()} or, unless
   * {@link KafkaOptions#stopOnJvmExit()} is off, at the latest when the JVM exits (cleanly, so the
   * next start needs no log recovery).
   */
  public static KafkaEndpoint start(KafkaOptions options) {
    QuietLogging.kafkaServer();
    boolean uncleanlyStopped = StaleRegistrationRemoval.isNeeded(options.dataDir());
    KafkaStorage.formatIfNeeded(options.dataDir());
    if (uncleanlyStopped) {
      removeStaleRegistration(options);
    }
    int attempts = options.port() == 0 ? START_ATTEMPTS_ON_FREE_PORTS : 1;
    RuntimeException lastFailure = null;
    for (int attempt = 1; attempt <= attempts; attempt++) {
      KafkaBrokerConfig config =
          new KafkaBrokerConfig(
              options.dataDir(),
              FreePorts.orFree(options.port()),
              FreePorts.pick(),
              options.fastTestSettings());
      try {
        return startOn(config, options.stopOnJvmExit());
      } catch (RuntimeException e) {
        lastFailure = e;
        log.warn(
            "Kafka did not start with {} (attempt {} of {}): {}",
            config,
            attempt,
            attempts,
            e.toString());
      }
    }
    throw lastFailure;
  }

  /**
   * Starts a broker on a thread of its own and returns at once with its address, so that clients
   * can be built while it comes up (after an unclean stop that includes unregistering the dead
   * broker). One attempt, on the options' port or a free one picked now. {@link
   * StartingKafka#awaitStarted} returns the running broker or throws its failure.
   */
  public static StartingKafka launch(KafkaOptions options) {
    QuietLogging.kafkaServer();
    boolean uncleanlyStopped = StaleRegistrationRemoval.isNeeded(options.dataDir());
    KafkaStorage.formatIfNeeded(options.dataDir());
    KafkaBrokerConfig config =
        new KafkaBrokerConfig(
            options.dataDir(),
            FreePorts.orFree(options.port()),
            FreePorts.pick(),
            options.fastTestSettings());
    CompletableFuture<KafkaEndpoint> started = new CompletableFuture<>();
    Thread.ofPlatform()
        .name("sluice-embedded-kafka-start")
        .start(
            () -> {
              try {
                if (uncleanlyStopped) {
                  removeStaleRegistration(options);
                }
                started.complete(startOn(config, options.stopOnJvmExit()));
              } catch (RuntimeException | Error e) {
                log.warn("Kafka did not start with {}: {}", config, e.toString());
                started.completeExceptionally(e);
              }
            });
    return new StartingKafka(config.bootstrapServers(), started);
  }

  /**
   * After an unclean stop, unregisters the dead broker so that the restarted one need not wait for
   * its session to expire ({@link StaleRegistrationRemoval}). Only saves time: if it fails, the
   * start goes on and waits.
   */
  private static void removeStaleRegistration(KafkaOptions options) {
    try {
      StaleRegistrationRemoval.run(options.dataDir(), FreePorts.pick(), options.fastTestSettings());
    } catch (RuntimeException e) {
      log.warn(
          "Could not unregister the broker an unclean stop left on {}; the start waits for its"
              + " session to expire instead: {}",
          options.dataDir(),
          e.toString());
    }
  }

  private static EmbeddedKafka startOn(KafkaBrokerConfig config, boolean stopOnExit) {
    long started = System.nanoTime();
    KafkaRaftServer server = new KafkaRaftServer(new KafkaConfig(config.properties()), Time.SYSTEM);
    try {
      server.startup();
      awaitReady(config.bootstrapServers());
    } catch (RuntimeException e) {
      stopQuietly(server);
      throw e;
    }
    log.info(
        "Embedded Kafka started at {} on {} in {} ms",
        config.bootstrapServers(),
        config.logDir(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    return new EmbeddedKafka(server, config).stopOnExit(stopOnExit);
  }

  private static void awaitReady(String bootstrapServers) {
    Map<String, Object> adminConfig =
        Map.of(
            AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers,
            AdminClientConfig.CLIENT_ID_CONFIG,
            "sluice-embedded-ready-check");
    try (Admin admin = Admin.create(adminConfig)) {
      admin
          .describeCluster()
          .nodes()
          .get(READY_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
          .forEach(node -> log.debug("Kafka node {} is up", node));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while waiting for Kafka to start", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException(
          "Kafka at " + bootstrapServers + " did not answer within " + READY_TIMEOUT, e);
    }
  }

  private static void stopQuietly(KafkaRaftServer server) {
    try {
      server.shutdown();
      server.awaitShutdown();
    } catch (RuntimeException e) {
      log.warn("Kafka did not shut down cleanly after a failed start", e);
    }
  }

  @Override
  public String bootstrapServers() {
    return config.bootstrapServers();
  }

  /** Stops the broker and waits until its log directory is closed. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    ShutdownHooks.unregister(shutdownHook);
    long started = System.nanoTime();
    server.shutdown();
    server.awaitShutdown();
    log.info(
        "Embedded Kafka at {} stopped in {} ms",
        config.bootstrapServers(),
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
  }

  @Override
  public String toString() {
    return "EmbeddedKafka[" + config.bootstrapServers() + ", " + config.logDir() + "]";
  }
}
