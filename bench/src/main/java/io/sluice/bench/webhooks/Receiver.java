package io.sluice.bench.webhooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A webhook receiver on a loopback port: answers 204 after {@code delay} (zero: at once) and keeps
 * a {@link Receipt} of every delivery. Signatures are not checked here (the job-api tests verify
 * them); this measures when deliveries arrive.
 */
public final class Receiver implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
  private final Duration delay;
  private final Clock clock;
  private final ConcurrentLinkedQueue<Receipt> receipts = new ConcurrentLinkedQueue<>();

  private Receiver(Duration delay, Clock clock) throws IOException {
    this.delay = delay;
    this.clock = clock;
    this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
    server.createContext("/", this::handle);
    server.setExecutor(threads);
    server.start();
  }

  /** A receiver that answers after {@code delay}. */
  public static Receiver start(Duration delay) throws IOException {
    return new Receiver(delay, Clock.systemUTC());
  }

  /** A loopback URL where nothing listens: connections are refused. */
  public static URI down() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return URI.create("http://127.0.0.1:" + socket.getLocalPort() + "/down");
    }
  }

  public URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hook");
  }

  public List<Receipt> receipts() {
    return List.copyOf(receipts);
  }

  public int count() {
    return receipts.size();
  }

  /** Forgets the receipts so far (between runs). */
  public void clear() {
    receipts.clear();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange;
        InputStream in = exchange.getRequestBody()) {
      Instant received = clock.instant();
      JsonNode data = JSON.readTree(in.readAllBytes()).path("data");
      String finished = data.path("finished_at").asText(null);
      receipts.add(
          new Receipt(
              exchange.getRequestHeaders().getFirst("webhook-id"),
              data.path("id").asText(),
              finished == null ? null : Instant.parse(finished),
              received));
      if (delay.isPositive()) {
        Thread.sleep(delay);
      }
      exchange.sendResponseHeaders(204, -1);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
