package io.sluice.launcher.reachability;

import io.sluice.lifecycle.BackgroundLoop;
import java.time.Duration;
import java.util.Objects;

/**
 * Tells an operator, in one line each, when a component loses Kafka or PostgreSQL and when it is
 * back. A {@link BackgroundLoop} runs a {@link Probe} every few seconds: the loop logs one WARN
 * when the probe starts failing and one INFO when it succeeds again, so the clients' own reconnect
 * chatter can stay below WARN. The watch only reports: the components reconnect by themselves.
 */
public final class ReachabilityWatch implements AutoCloseable {
  /** How often a reachable server is checked. */
  public static final Duration CHECK_INTERVAL = Duration.ofSeconds(5);

  /** How long one check waits for an answer. */
  public static final Duration CHECK_TIMEOUT = Duration.ofSeconds(3);

  private static final BackgroundLoop.Settings SETTINGS =
      BackgroundLoop.Settings.idleWait(CHECK_INTERVAL)
          .withBackoff(Duration.ofSeconds(1), CHECK_INTERVAL)
          .withStopTimeout(CHECK_TIMEOUT.plusSeconds(2));

  /** One check of a server; throws {@link UnreachableException} when it does not answer. */
  public interface Probe extends AutoCloseable {
    void check() throws UnreachableException;

    @Override
    void close();
  }

  private final BackgroundLoop loop;
  private final Probe probe;

  private ReachabilityWatch(String name, Probe probe, BackgroundLoop.Settings settings) {
    this.probe = Objects.requireNonNull(probe, "probe");
    this.loop =
        new BackgroundLoop(
            name,
            settings,
            () -> {
              probe.check();
              return BackgroundLoop.Next.IDLE;
            });
  }

  /** Watches Kafka for a component, e.g. {@code kafka("dispatcher", "kafka:9092")}. */
  public static ReachabilityWatch kafka(String component, String bootstrapServers) {
    return watch(component, "Kafka", new KafkaProbe(bootstrapServers, CHECK_TIMEOUT), SETTINGS);
  }

  /** Watches PostgreSQL for a component. */
  public static ReachabilityWatch postgres(
      String component, String jdbcUrl, String user, String password) {
    return watch(
        component,
        "PostgreSQL",
        new PostgresProbe(jdbcUrl, user, password, CHECK_TIMEOUT),
        SETTINGS);
  }

  /** A started watch of any server, with the given check interval (tests use short ones). */
  static ReachabilityWatch watch(
      String component, String server, Probe probe, BackgroundLoop.Settings settings) {
    ReachabilityWatch watch =
        new ReachabilityWatch(server + " connection of " + component, probe, settings);
    watch.loop.start();
    return watch;
  }

  /** Whether the last check reached the server. */
  public boolean isReachable() {
    return !loop.isFailing();
  }

  @Override
  public void close() {
    loop.close();
    probe.close();
  }
}
