package io.sluice.egress;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** A real HTTP receiver on a loopback address that answers by path and records what it got. */
final class TestReceiver implements AutoCloseable {
  record Received(String path, Map<String, List<String>> headers, byte[] body) {
    String header(String name) {
      return headers.entrySet().stream()
          .filter(e -> e.getKey().equalsIgnoreCase(name))
          .map(e -> e.getValue().get(0))
          .findFirst()
          .orElse(null);
    }
  }

  record Answer(int status, Map<String, String> headers, String body) {}

  private final HttpServer server;
  private final List<Received> received = new CopyOnWriteArrayList<>();

  private TestReceiver(HttpServer server) {
    this.server = server;
  }

  /** Starts a receiver on {@code address} (port chosen by the system unless given). */
  static TestReceiver on(String address, int port, Map<String, Answer> answersByPath) {
    try {
      HttpServer server =
          HttpServer.create(new InetSocketAddress(InetAddress.getByName(address), port), 0);
      TestReceiver receiver = new TestReceiver(server);
      server.createContext("/", exchange -> receiver.handle(exchange, answersByPath));
      server.start();
      return receiver;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static TestReceiver answering(int status) {
    return on("127.0.0.1", 0, Map.of("/", new Answer(status, Map.of(), "")));
  }

  int port() {
    return server.getAddress().getPort();
  }

  URI url(String host, String path) {
    return URI.create("http://" + host + ":" + port() + path);
  }

  List<Received> received() {
    return received;
  }

  private void handle(HttpExchange exchange, Map<String, Answer> answersByPath) throws IOException {
    byte[] body = exchange.getRequestBody().readAllBytes();
    String path = exchange.getRequestURI().getRawPath();
    received.add(
        new Received(
            exchange.getRequestURI().toString(), Map.copyOf(exchange.getRequestHeaders()), body));
    Answer answer = answersByPath.getOrDefault(path, new Answer(404, Map.of(), ""));
    answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
    byte[] bytes = answer.body().getBytes(java.nio.charset.StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
