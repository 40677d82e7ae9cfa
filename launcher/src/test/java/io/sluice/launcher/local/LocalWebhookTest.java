package io.sluice.launcher.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.standardwebhooks.Webhook;
import com.sun.net.httpserver.HttpServer;
import io.sluice.embedded.PostgresEndpoint;
import io.sluice.embedded.TestInfrastructure;
import io.sluice.launcher.client.SluiceClient;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Webhooks as {@code sluice local} runs them: on by default with a key kept in the data directory,
 * delivered over plain HTTP to a receiver on this machine, each delivery verified by the official
 * Standard Webhooks library, not by Sluice's own code.
 */
class LocalWebhookTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dataDir;
  private static PostgresEndpoint database;
  private static LocalPlatform platform;
  private static SluiceClient client;
  private static HttpServer receiver;
  private static final List<Received> received = new CopyOnWriteArrayList<>();

  record Received(String body, HttpHeaders headers) {}

  @BeforeAll
  static void start() throws IOException {
    receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    receiver.createContext(
        "/hooks",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          received.add(
              new Received(body, HttpHeaders.of(exchange.getRequestHeaders(), (k, v) -> true)));
          exchange.sendResponseHeaders(204, -1);
          exchange.close();
        });
    receiver.start();
    database = TestInfrastructure.newDatabase();
    platform =
        LocalPlatform.startOn(
            new LocalOptions(dataDir, 0, "unlimited", Duration.ofMillis(5), 4),
            database,
            TestInfrastructure.kafka(),
            TestInfrastructure.uniqueName("webhook"));
    client = new SluiceClient(platform.apiUrl(), platform.devApiKey());
  }

  @AfterAll
  static void stop() {
    client.close();
    platform.close();
    database.close();
    receiver.stop(0);
  }

  @Test
  void shouldDeliverASignedEventForAFinishedJobToAReceiverOnThisMachine() throws Exception {
    String hooks = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hooks";
    JsonNode endpoint = post("/v1/webhook-endpoints", Map.of("url", hooks));
    String secret = endpoint.get("secret").asText();
    assertThat(secret).startsWith("whsec_");

    String jobId =
        client
            .submit(
                Map.of(
                    "model",
                    "gpt-4o-mini",
                    "messages",
                    List.of(Map.of("role", "user", "content", "reverse: webhook"))))
            .get("id")
            .asText();

    await("the job's event at the receiver")
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> received.stream().anyMatch(r -> r.body().contains(jobId)));
    Received delivery =
        received.stream().filter(r -> r.body().contains(jobId)).findFirst().orElseThrow();
    new Webhook(secret).verify(delivery.body(), delivery.headers());
    JsonNode event = JSON.readTree(delivery.body());
    assertThat(event.get("type").asText()).isEqualTo("job.succeeded");
    assertThat(event.toString()).contains("koohbew");
    assertThat(delivery.headers().firstValue("webhook-id")).isPresent();
  }

  @Test
  void shouldKeepTheWebhookKeyInTheDataDirectoryReadableOnlyByItsOwner() throws IOException {
    Path key = dataDir.resolve(WebhookKey.FILE);

    assertThat(Files.getPosixFilePermissions(key))
        .isEqualTo(PosixFilePermissions.fromString("rw-------"));
    assertThat(WebhookKey.ensure(dataDir)).isEqualTo(Files.readString(key).strip());
  }

  @Test
  void shouldRefuseAnEndpointOnTheCloudMetadataAddressEvenLocally() throws Exception {
    HttpResponse<String> response =
        send("/v1/webhook-endpoints", Map.of("url", "http://169.254.169.254/latest/meta-data"));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).contains("url");
  }

  private static JsonNode post(String path, Map<String, Object> body) throws Exception {
    HttpResponse<String> response = send(path, body);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    return JSON.readTree(response.body());
  }

  private static HttpResponse<String> send(String path, Map<String, Object> body) throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(
          HttpRequest.newBuilder(URI.create(platform.apiUrl() + path))
              .header("Authorization", "Bearer " + platform.devApiKey())
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    }
  }
}
