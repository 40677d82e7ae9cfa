package io.sluice.launcher.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.sluice.schemas.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The demo's webhook receiver on this machine: it checks each delivery's {@code webhook-signature}
 * the way the Standard Webhooks spec says a receiver must (HMAC-SHA256 of {@code id.timestamp.body}
 * with the endpoint's secret, any of the space-separated {@code v1,} signatures), independently of
 * Sluice's signing code, and records when each job's first event arrived. Answers 204 to a verified
 * delivery and 400 to one that does not verify.
 */
final class WebhookReceiver implements AutoCloseable {
  private final HttpServer server;
  private final Clock clock;
  private final Map<String, Instant> firstArrival = new ConcurrentHashMap<>();
  private final AtomicInteger deliveries = new AtomicInteger();
  private final AtomicInteger unverified = new AtomicInteger();
  private volatile byte[] key;

  private WebhookReceiver(HttpServer server, Clock clock) {
    this.server = server;
    this.clock = clock;
  }

  static WebhookReceiver start(Clock clock) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      WebhookReceiver receiver = new WebhookReceiver(server, clock);
      server.createContext("/sluice-demo/webhooks", receiver::handle);
      server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
      server.start();
      return receiver;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the demo's webhook receiver", e);
    }
  }

  URI url() {
    return URI.create(
        "http://127.0.0.1:" + server.getAddress().getPort() + "/sluice-demo/webhooks");
  }

  /** The endpoint's secret as the API showed it ({@code whsec_} + base64). */
  void useSecret(String secret) {
    key = Base64.getDecoder().decode(secret.substring(secret.indexOf('_') + 1));
  }

  /** When the first verified event of each job arrived, by job ID. */
  Map<String, Instant> firstArrivals() {
    return Map.copyOf(firstArrival);
  }

  int deliveries() {
    return deliveries.get();
  }

  int unverified() {
    return unverified.get();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      Instant arrived = clock.instant();
      byte[] body = exchange.getRequestBody().readAllBytes();
      deliveries.incrementAndGet();
      String id = exchange.getRequestHeaders().getFirst("webhook-id");
      String timestamp = exchange.getRequestHeaders().getFirst("webhook-timestamp");
      String signatures = exchange.getRequestHeaders().getFirst("webhook-signature");
      if (!verifies(id, timestamp, signatures, body)) {
        unverified.incrementAndGet();
        exchange.sendResponseHeaders(400, -1);
        return;
      }
      JsonNode event = Json.mapper().readTree(body);
      firstArrival.putIfAbsent(event.path("data").path("id").asText(), arrived);
      exchange.sendResponseHeaders(204, -1);
    }
  }

  private boolean verifies(String id, String timestamp, String signatures, byte[] body) {
    if (id == null || timestamp == null || signatures == null || key == null) {
      return false;
    }
    byte[] expected = sign(id + "." + timestamp + "." + new String(body, StandardCharsets.UTF_8));
    for (String signature : signatures.split(" ")) {
      if (signature.startsWith("v1,") && MessageDigest.isEqual(expected, decoded(signature))) {
        return true;
      }
    }
    return false;
  }

  private static byte[] decoded(String signature) {
    try {
      return Base64.getDecoder().decode(signature.substring("v1,".length()));
    } catch (IllegalArgumentException e) {
      return new byte[0];
    }
  }

  private byte[] sign(String content) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(content.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
