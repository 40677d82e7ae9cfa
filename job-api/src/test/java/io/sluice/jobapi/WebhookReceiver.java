package io.sluice.jobapi;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A webhook receiver on 127.0.0.1 that records every request and answers as its {@link Mode} says;
 * {@link #stop()} makes its port refuse connections until {@link #restart()}.
 */
final class WebhookReceiver implements AutoCloseable {
  enum Mode {
    OK,
    FAIL_500,
    GONE_410,
    REDIRECT,
    HANG,
    /** 204 after one second (answered from a timer: no thread waits). */
    SLOW
  }

  /** One request as it arrived: header names in lower case. */
  record Received(
      Map<String, List<String>> headers, String body, int answeredWith, long arrivedNanos) {
    String id() {
      return headers.get("webhook-id").getFirst();
    }

    String signature() {
      return headers.get("webhook-signature").getFirst();
    }
  }

  private final List<Received> received = new CopyOnWriteArrayList<>();
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
  private final CountDownLatch released = new CountDownLatch(1);
  private final int port;
  private volatile HttpServer server;
  private volatile Mode mode = Mode.OK;
  private volatile String redirectTo = "http://127.0.0.1:9/";

  private WebhookReceiver(int port) {
    this.port = port;
  }

  static WebhookReceiver start() {
    WebhookReceiver receiver = new WebhookReceiver(0);
    receiver.listen(0);
    return receiver;
  }

  private void listen(int onPort) {
    try {
      HttpServer created = HttpServer.create(new InetSocketAddress("127.0.0.1", onPort), 50);
      created.createContext("/", this::handle);
      created.setExecutor(threads);
      created.start();
      server = created;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  URI url() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/hooks");
  }

  WebhookReceiver mode(Mode value) {
    mode = value;
    return this;
  }

  WebhookReceiver redirectTo(URI url) {
    redirectTo = url.toString();
    return this;
  }

  /** Closes the port: connections are refused. */
  void stop() {
    server.stop(0);
  }

  /** Listens again on the same port. */
  void restart() {
    listen(server.getAddress().getPort());
  }

  List<Received> received() {
    return List.copyOf(received);
  }

  /** The most requests that arrived within any span of {@code window}. */
  int mostArrivalsWithin(Duration window) {
    List<Long> arrivals = received.stream().map(Received::arrivedNanos).sorted().toList();
    int most = 0;
    int first = 0;
    for (int last = 0; last < arrivals.size(); last++) {
      while (arrivals.get(last) - arrivals.get(first) >= window.toNanos()) {
        first++;
      }
      most = Math.max(most, last - first + 1);
    }
    return most;
  }

  /** The requests answered with a 2xx. */
  List<Received> accepted() {
    return received.stream().filter(r -> r.answeredWith() / 100 == 2).toList();
  }

  private void handle(HttpExchange exchange) throws IOException {
    String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    Mode now = mode;
    int status =
        switch (now) {
          case OK -> 204;
          case FAIL_500 -> 500;
          case GONE_410 -> 410;
          case REDIRECT -> 302;
          case HANG -> 0;
          case SLOW -> 204;
        };
    Map<String, List<String>> headers =
        exchange.getRequestHeaders().entrySet().stream()
            .collect(
                Collectors.toMap(
                    e -> e.getKey().toLowerCase(Locale.ROOT),
                    Map.Entry::getValue,
                    (a, b) -> a,
                    TreeMap::new));
    received.add(new Received(headers, body, status, System.nanoTime()));
    if (now == Mode.HANG) {
      awaitRelease();
      exchange.close();
      return;
    }
    if (now == Mode.SLOW) {
      timer.schedule(() -> answer(exchange, 204), 1, TimeUnit.SECONDS);
      return;
    }
    if (now == Mode.REDIRECT) {
      exchange.getResponseHeaders().add("Location", redirectTo);
    }
    exchange.sendResponseHeaders(status, -1);
    exchange.close();
  }

  private static void answer(HttpExchange exchange, int status) {
    try {
      exchange.sendResponseHeaders(status, -1);
    } catch (IOException e) {
      // the sender gave up on this request already
    } finally {
      exchange.close();
    }
  }

  private void awaitRelease() {
    try {
      released.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    released.countDown();
    server.stop(0);
    threads.shutdownNow();
    timer.shutdownNow();
  }
}
