package io.sluice.simulator.internal.http;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The JDK HTTP server on virtual threads: reads each request, asks the {@link Router}, and delivers
 * the {@link Reply} as it says (delayed, cut short or dropped).
 */
public final class HttpFront implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(HttpFront.class);

  private final HttpServer server;
  private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
  private final Router router;
  private final Function<Request, Reply> notFound;

  /**
   * @param notFound the answer for a path no route knows
   */
  public HttpFront(String host, int port, Router router, Function<Request, Reply> notFound)
      throws IOException {
    this.router = router;
    this.notFound = notFound;
    this.server = HttpServer.create(new InetSocketAddress(host, port), 1024);
    server.setExecutor(executor);
    server.createContext("/", this::serve);
    server.start();
  }

  /** The address the server listens on. */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  private void serve(HttpExchange exchange) throws IOException {
    try (exchange) {
      Request request = read(exchange);
      deliver(exchange, answer(request));
    } catch (IOException e) {
      LOG.debug("Client connection ended early ({}); nothing more to send", e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private Reply answer(Request request) {
    try {
      return router
          .match(request.method(), request.path())
          .map(m -> m.handler().handle(request, m.params()))
          .orElseGet(() -> notFound.apply(request));
    } catch (RuntimeException e) {
      LOG.error("Simulator failed on {} {}; answering 500", request.method(), request.path(), e);
      return Reply.json(
          500, Map.of("error", Map.of("message", "simulator bug: " + e, "type", "server_error")));
    }
  }

  private static Request read(HttpExchange exchange) throws IOException {
    byte[] body;
    try (InputStream in = exchange.getRequestBody()) {
      body = in.readAllBytes();
    }
    URI uri = exchange.getRequestURI();
    return new Request(
        exchange.getRequestMethod(),
        uri.getRawPath(),
        Request.parseQuery(uri.getRawQuery()),
        Request.flatten(exchange.getRequestHeaders()),
        body);
  }

  private static void deliver(HttpExchange exchange, Reply reply)
      throws IOException, InterruptedException {
    if (reply.delay().isPositive()) {
      Thread.sleep(reply.delay());
    }
    if (reply.delivery() == Reply.Delivery.RESET) {
      return; // closing the exchange without headers closes the connection
    }
    reply.headers().forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
    byte[] body = reply.body();
    if (reply.delivery() == Reply.Delivery.TRUNCATED) {
      // Chunked, so the JDK server ends the message cleanly after half of the body: a client
      // sees a 200 whose JSON stops in the middle. (A fixed length left unfilled would keep the
      // connection open forever: the JDK server only closes it when the stream is complete.)
      exchange.getResponseHeaders().set("connection", "close");
      exchange.sendResponseHeaders(reply.status(), 0);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body, 0, body.length / 2);
      }
      return;
    }
    exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }
}
