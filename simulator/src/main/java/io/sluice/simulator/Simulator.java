package io.sluice.simulator;

import io.sluice.simulator.internal.Wiring;
import io.sluice.simulator.internal.http.HttpFront;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A local HTTP server that behaves like the OpenAI, Anthropic and Gemini APIs. Start one per test
 * class (or per benchmark) and point a client at {@link #baseUrl()}: OpenAI paths are under {@code
 * /v1/chat/completions}, {@code /v1/files}, {@code /v1/batches}; Anthropic paths under {@code
 * /v1/messages} and {@code /v1/messages/batches}; Gemini's under {@code
 * /v1beta/models/{model}:generateContent}; the meter under {@code GET /_sim/meter}; the recent
 * realtime calls ({@link #requests()}) under {@code GET /_sim/requests}.
 *
 * <pre>{@code
 * try (Simulator sim = Simulator.start(SimulatorConfig.builder().profile("openai-tier1").build())) {
 *   URI base = sim.baseUrl();   // http://127.0.0.1:PORT
 *   ...
 *   MeterRow total = sim.meter().snapshot().total("gpt-4o-mini");
 * }
 * }</pre>
 */
public final class Simulator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Simulator.class);

  private final SimulatorConfig config;
  private final Wiring wiring;
  private final HttpFront front;

  private Simulator(SimulatorConfig config, Wiring wiring, HttpFront front) {
    this.config = config;
    this.wiring = wiring;
    this.front = front;
  }

  /** Starts a simulator; it serves until {@link #close()}. */
  public static Simulator start(SimulatorConfig config) {
    Wiring wiring = new Wiring(config);
    try {
      HttpFront front =
          new HttpFront(config.host(), config.port(), wiring.router(), wiring::notFound);
      Simulator simulator = new Simulator(config, wiring, front);
      LOG.info(
          "Simulator listening on {} with profile {}",
          simulator.baseUrl(),
          config.profile().name());
      return simulator;
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot start the simulator on " + config.host() + ":" + config.port(), e);
    }
  }

  /** The most recent realtime calls it received, as their conversations. */
  public RequestLog requests() {
    return wiring.requests();
  }

  /** Starts a simulator with the defaults (a free port, the {@code unlimited} profile). */
  public static Simulator start() {
    return start(SimulatorConfig.defaults());
  }

  /** The base URL without a trailing slash, e.g. {@code http://127.0.0.1:41234}. */
  public URI baseUrl() {
    return URI.create("http://" + config.host() + ":" + port());
  }

  /** The port the simulator listens on. */
  public int port() {
    return front.address().getPort();
  }

  /** The counts of accepted and refused calls. */
  public Meter meter() {
    return wiring.meter();
  }

  /** The configuration it was started with. */
  public SimulatorConfig config() {
    return config;
  }

  /** The fault settings in force. */
  public FaultSettings faults() {
    return wiring.faults().settings();
  }

  /** Replaces the fault settings while running (e.g. to start an outage now). */
  public void faults(FaultSettings settings) {
    wiring.faults().update(settings);
  }

  /** Replaces the latency settings while running. */
  public void latency(LatencySettings settings) {
    wiring.latency(settings);
  }

  /** The latency settings in force. */
  public LatencySettings latency() {
    return wiring.latency();
  }

  @Override
  public void close() {
    front.close();
    wiring.close();
  }
}
