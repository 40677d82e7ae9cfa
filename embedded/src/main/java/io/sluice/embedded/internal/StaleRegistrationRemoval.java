package io.sluice.embedded.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.BrokerIdNotRegisteredException;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes the registration a killed broker of this one-node cluster left behind, before the node's
 * own broker starts.
 *
 * <p>After an unclean stop the controller keeps the dead broker registered and unfenced, and
 * refuses the restarted broker ({@code DUPLICATE_BROKER_REGISTRATION}) until that registration's
 * session has expired, counted from the controller's activation. Here the node first runs as a
 * controller alone on the same metadata log, unregisters broker {@value KafkaBrokerConfig#NODE_ID}
 * ({@code Admin.unregisterBroker} over {@code bootstrap.controllers}) and stops; the combined
 * server started next registers its broker at once. Safe because no broker of this cluster can be
 * alive: the cluster has this node as its only voter and broker, no broker runs while the
 * controller alone does (so no new incarnation can register before the unregister), and the
 * controller alone takes the lock of the log directory, so no other process serves it. Kafka 4.3
 * would unregister a live broker just as readily, and that broker would never register again: this
 * must only ever run on a node whose broker is not running. The restarted broker registers as after
 * any unclean stop (its logs are recovered, and it leads its partitions again once unfenced).
 */
public final class StaleRegistrationRemoval {

  private static final Logger log = LoggerFactory.getLogger(StaleRegistrationRemoval.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  /** Kafka's {@code CleanShutdownFileHandler.CLEAN_SHUTDOWN_FILE_NAME}: written by a clean stop. */
  static final String CLEAN_SHUTDOWN_FILE = ".kafka_cleanshutdown";

  private StaleRegistrationRemoval() {}

  /**
   * Whether the broker that last used this formatted directory stopped without shutting down
   * cleanly: its controller may still hold the dead broker's registration.
   */
  public static boolean isNeeded(Path logDir) {
    return KafkaStorage.isFormatted(logDir)
        && Files.isDirectory(logDir.resolve("__cluster_metadata-0"))
        && !Files.exists(logDir.resolve(CLEAN_SHUTDOWN_FILE));
  }

  /**
   * Starts the node as a controller alone on {@code controllerPort}, unregisters the dead broker
   * and stops the controller. Returns whether a registration was removed.
   *
   * <p>A controller that cannot start (e.g. because another process holds the log directory) halts
   * the JVM through Kafka's {@code ProcessTerminatingFaultHandler}, as the combined server's
   * controller would, before anything is unregistered.
   *
   * @throws RuntimeException if the controller did not answer or the unregister failed
   */
  public static boolean run(Path logDir, int controllerPort, boolean fast) {
    long started = System.nanoTime();
    KafkaBrokerConfig config = new KafkaBrokerConfig(logDir, 0, controllerPort, fast);
    KafkaRaftServer controller =
        new KafkaRaftServer(new KafkaConfig(config.controllerOnlyProperties()), Time.SYSTEM);
    boolean removed;
    try {
      controller.startup();
      long controllerStarted = System.nanoTime();
      removed = unregister(config.bootstrapControllers());
      log.debug(
          "Controller alone started in {} ms, unregister answered after {} ms",
          TimeUnit.NANOSECONDS.toMillis(controllerStarted - started),
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - controllerStarted));
    } finally {
      controller.shutdown();
      controller.awaitShutdown();
    }
    log.info(
        "Broker {} left registered by an unclean stop {} (controller alone, {} ms in all)",
        KafkaBrokerConfig.NODE_ID,
        removed ? "was unregistered" : "was not registered",
        TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    return removed;
  }

  private static boolean unregister(String bootstrapControllers) {
    Map<String, Object> adminConfig =
        Map.of(
            AdminClientConfig.BOOTSTRAP_CONTROLLERS_CONFIG,
            bootstrapControllers,
            AdminClientConfig.CLIENT_ID_CONFIG,
            "sluice-embedded-unregister",
            AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
            (int) TIMEOUT.toMillis());
    try (Admin admin = Admin.create(adminConfig)) {
      admin
          .unregisterBroker(KafkaBrokerConfig.NODE_ID)
          .all()
          .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (ExecutionException e) {
      if (e.getCause() instanceof BrokerIdNotRegisteredException) {
        return false;
      }
      throw new IllegalStateException(
          "Could not unregister broker "
              + KafkaBrokerConfig.NODE_ID
              + " at the controller "
              + bootstrapControllers,
          e.getCause());
    } catch (TimeoutException e) {
      throw new IllegalStateException(
          "The controller at " + bootstrapControllers + " did not answer within " + TIMEOUT, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while unregistering a dead broker", e);
    }
  }
}
