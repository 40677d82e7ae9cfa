package io.sluice.observability;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A component's management endpoint, apart from its API: {@code GET /metrics} (Prometheus text
 * format 0.0.4, or OpenMetrics 1.0 when the {@code Accept} header asks for {@code
 * application/openmetrics-text}), {@code GET /health/live} and {@code GET /health/ready} (200 with
 * {@code {"status":"UP"}}, or 503 with the failing checks). Other paths get 404, other methods on
 * these paths 405. Runs on the JDK's HTTP server with two threads.
 */
public final class ManagementServer implements AutoCloseable {
  /** The port a component serves on unless {@code SLUICE_MANAGEMENT_PORT} says otherwise. */
  public static final int DEFAULT_PORT = 9090;

  static final String PROMETHEUS_TEXT = "text/plain; version=0.0.4; charset=utf-8";
  static final String OPENMETRICS_TEXT =
      "application/openmetrics-text; version=1.0.0; charset=utf-8";
  private static final String JSON = "application/json";

  private static final Logger LOG = LoggerFactory.getLogger(ManagementServer.class);

  private final HttpServer server;
  private final ExecutorService threads;

  private ManagementServer(HttpServer server, ExecutorService threads) {
    this.server = server;
    this.threads = threads;
  }

  /**
   * Serves on {@code host:port} ({@code port} 0: any free port, see {@link #port()}).
   *
   * @throws IOException when the port cannot be bound
   */
  public static ManagementServer start(
      String host,
      int port,
      PrometheusMeterRegistry registry,
      HealthChecks liveness,
      HealthChecks readiness)
      throws IOException {
    Objects.requireNonNull(registry, "registry");
    HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 16);
    server.createContext(
        "/", exchange -> respond(exchange, 404, JSON, "{\"error\":\"not found\"}"));
    server.createContext("/metrics", exchange -> metrics(exchange, registry));
    server.createContext("/health/live", exchange -> health(exchange, liveness));
    server.createContext("/health/ready", exchange -> health(exchange, readiness));
    ExecutorService threads = Executors.newFixedThreadPool(2, ManagementServer::thread);
    server.setExecutor(threads);
    server.start();
    ManagementServer started = new ManagementServer(server, threads);
    LOG.info(
        "management endpoint on port {}: /metrics, /health/live, /health/ready", started.port());
    return started;
  }

  private static Thread thread(Runnable runnable) {
    Thread thread = new Thread(runnable, "management-http");
    thread.setDaemon(true);
    return thread;
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private static void metrics(HttpExchange exchange, PrometheusMeterRegistry registry)
      throws IOException {
    if (!exactGet(exchange, "/metrics")) {
      return;
    }
    String accept = exchange.getRequestHeaders().getFirst("Accept");
    String type =
        accept != null && accept.contains("application/openmetrics-text")
            ? OPENMETRICS_TEXT
            : PROMETHEUS_TEXT;
    respond(exchange, 200, type, registry.scrape(type));
  }

  private static void health(HttpExchange exchange, HealthChecks checks) throws IOException {
    if (!exactGet(exchange, exchange.getHttpContext().getPath())) {
      return;
    }
    HealthReport report = checks.report();
    respond(exchange, report.isUp() ? 200 : 503, JSON, report.toJson());
  }

  /** The JDK server routes by prefix: {@code /metricsfoo} must still be a 404. */
  private static boolean exactGet(HttpExchange exchange, String path) throws IOException {
    if (!exchange.getRequestURI().getPath().equals(path)) {
      respond(exchange, 404, JSON, "{\"error\":\"not found\"}");
      return false;
    }
    String method = exchange.getRequestMethod();
    if (!method.equals("GET") && !method.equals("HEAD")) {
      exchange.getResponseHeaders().set("Allow", "GET, HEAD");
      respond(exchange, 405, JSON, "{\"error\":\"method not allowed\"}");
      return false;
    }
    return true;
  }

  private static void respond(HttpExchange exchange, int status, String type, String body)
      throws IOException {
    try (exchange) {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", type);
      exchange.getResponseHeaders().set("Cache-Control", "no-store");
      boolean head = exchange.getRequestMethod().equals("HEAD");
      exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
      if (!head) {
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(bytes);
        }
      }
    }
  }

  /** Stops answering at once (the probes of a stopping process may fail: it is stopping). */
  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
