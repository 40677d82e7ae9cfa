package io.sluice.launcher.management;

import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.launcher.reachability.ReachabilityWatch;
import io.sluice.observability.Health;
import io.sluice.observability.HealthChecks;
import io.sluice.observability.ManagementServer;
import io.sluice.observability.Meters;
import io.sluice.observability.ProcessMeters;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.BindException;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A process's management endpoint and what it serves: one meter registry that every component of
 * the process records into, and the liveness and readiness checks. Started before the components,
 * so that probes answer (live, not ready) while they start; closed after them.
 *
 * <p>Liveness holds a {@code process} check that goes down when the process begins to stop;
 * readiness holds the reachability of Kafka and PostgreSQL and one "started" check per component.
 */
public final class Management implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Management.class);

  /**
   * {@code false} turns the components' meters off (they record into {@link Meters#none()}, and
   * {@code /metrics} serves only the JVM's): how the instrumentation's cost is measured. Default
   * {@code true}.
   */
  public static final String METRICS_ENABLED = "SLUICE_METRICS_ENABLED";

  private final ProcessMeters meters;
  private final MeterRegistry componentMeters;
  private final HealthChecks liveness = new HealthChecks();
  private final HealthChecks readiness = new HealthChecks();
  private final HealthChecks.Started process;
  private final ManagementServer server;

  private Management(
      ProcessMeters meters, String host, int port, boolean freePortIfTaken, boolean metrics) {
    this.meters = meters;
    this.componentMeters = metrics ? meters.registry() : Meters.none();
    this.process = liveness.pending("process");
    this.process.started();
    readiness.add("process", process);
    this.server = bind(host, port, freePortIfTaken);
  }

  /**
   * Serves on all interfaces at {@code port} (what a pod's probes and Prometheus reach).
   *
   * @throws IllegalStateException when the port is taken, naming {@code SLUICE_MANAGEMENT_PORT}
   */
  public static Management serve(int port) {
    return serve(port, true);
  }

  /** As {@link #serve(int)}; {@code metrics} false: see {@link #METRICS_ENABLED}. */
  public static Management serve(int port, boolean metrics) {
    return start("0.0.0.0", port, false, metrics);
  }

  /**
   * Serves on the loopback interface at {@code port}, or at a free port if that one is taken (or is
   * 0); {@link #port()} says which.
   */
  public static Management local(int port) {
    return local(port, true);
  }

  /** As {@link #local(int)}; {@code metrics} false: see {@link #METRICS_ENABLED}. */
  public static Management local(int port, boolean metrics) {
    return start("127.0.0.1", port, true, metrics);
  }

  private static Management start(String host, int port, boolean freePortIfTaken, boolean metrics) {
    ProcessMeters meters = ProcessMeters.create();
    try {
      return new Management(meters, host, port, freePortIfTaken, metrics);
    } catch (RuntimeException e) {
      meters.close();
      throw e;
    }
  }

  private ManagementServer bind(String host, int port, boolean freePortIfTaken) {
    try {
      return ManagementServer.start(host, port, meters.registry(), liveness, readiness);
    } catch (BindException e) {
      if (!freePortIfTaken) {
        throw new IllegalStateException(
            "management port "
                + port
                + " is taken (setting SLUICE_MANAGEMENT_PORT): choose another one",
            e);
      }
      LOG.info("management port {} is taken; serving on a free port instead", port);
      return bind(host, 0, false);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve the management endpoint on port " + port, e);
    }
  }

  /** Where the components record their meters (nowhere when they are turned off). */
  public MeterRegistry meters() {
    return componentMeters;
  }

  public HealthChecks liveness() {
    return liveness;
  }

  public HealthChecks readiness() {
    return readiness;
  }

  /** Ready only while {@code watch} reaches its server. */
  public void requireReachable(String name, ReachabilityWatch watch, String server) {
    readiness.add(name, () -> Health.when(watch.isReachable(), server + " did not answer"));
  }

  /**
   * What the process registers after its components: closing it (the first thing a stop does) turns
   * liveness and readiness down, so that no new traffic comes while the parts stop.
   */
  public AutoCloseable stopSignal() {
    return process::stopped;
  }

  public int port() {
    return server.port();
  }

  /** {@code http://127.0.0.1:<port>}: where this process's endpoint answers locally. */
  public URI url() {
    return URI.create("http://127.0.0.1:" + port());
  }

  @Override
  public void close() {
    server.close();
    meters.close();
  }
}
