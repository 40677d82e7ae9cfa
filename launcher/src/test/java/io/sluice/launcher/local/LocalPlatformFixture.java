package io.sluice.launcher.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.embedded.PostgresEndpoint;
import io.sluice.embedded.TestInfrastructure;
import io.sluice.launcher.client.SluiceClient;
import io.sluice.schemas.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * A {@code sluice local} ({@link LocalPlatform}) on the test broker and a fresh database for
 * end-to-end tests, with a client of its API and readers of its simulator's meter and request log
 * (the provider-side witness of what Sluice called).
 */
final class LocalPlatformFixture implements AutoCloseable {
  final PostgresEndpoint database;
  final LocalPlatform platform;
  final SluiceClient client;
  private final HttpClient http = HttpClient.newHttpClient();

  private LocalPlatformFixture(PostgresEndpoint database, LocalPlatform platform) {
    this.database = database;
    this.platform = platform;
    this.client = new SluiceClient(platform.apiUrl(), platform.devApiKey());
  }

  /** Starts a platform on a fresh database: {@code start} is given the database. */
  static LocalPlatformFixture start(Function<PostgresEndpoint, LocalPlatform> start) {
    PostgresEndpoint database = TestInfrastructure.newDatabase();
    try {
      return new LocalPlatformFixture(database, start.apply(database));
    } catch (RuntimeException e) {
      database.close();
      throw e;
    }
  }

  /** The job once it has ended (neither queued nor running), waiting at most {@code wait}. */
  JsonNode awaitEnd(String id, Duration wait) {
    await()
        .atMost(wait)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              String status = client.job(id).get("status").asText();
              return !status.equals("queued") && !status.equals("running");
            });
    return client.job(id);
  }

  /** The simulator's meter total of {@code model}; empty when it metered no call of it. */
  Optional<JsonNode> meterTotal(String model) {
    for (JsonNode total : simulatorGet("/_sim/meter").get("totals")) {
      if (total.get("model").asText().equals(model)) {
        return Optional.of(total);
      }
    }
    return Optional.empty();
  }

  /** Calls of {@code model} the simulator metered (0 for none). */
  long metered(String model) {
    return meterTotal(model).map(total -> total.get("requests").asLong()).orElse(0L);
  }

  /** The simulator's logged calls of {@code model} whose messages hold {@code marker}, in order. */
  List<JsonNode> callsAbout(String model, String marker) {
    List<JsonNode> calls = new ArrayList<>();
    for (JsonNode call : simulatorGet("/_sim/requests").get("calls")) {
      if (call.get("model").asText().equals(model)
          && call.get("messages").toString().contains(marker)) {
        calls.add(call);
      }
    }
    return calls;
  }

  /** {@code GET} of a simulator path, as JSON. */
  JsonNode simulatorGet(String path) {
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(platform.simulatorUrl() + path)).GET().build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as("GET %s", path).isEqualTo(200);
      return Json.mapper().readTree(response.body());
    } catch (IOException e) {
      throw new AssertionError("GET " + path, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("GET " + path, e);
    }
  }

  /** {@code GET} of an API path with the development key: the status and the body. */
  HttpResponse<String> apiGet(String path) {
    try {
      return http.send(
          HttpRequest.newBuilder(platform.apiUrl().resolve(path))
              .header("Authorization", "Bearer " + platform.devApiKey())
              .GET()
              .build(),
          HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new AssertionError("GET " + path, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("GET " + path, e);
    }
  }

  static JsonNode json(String body) {
    try {
      return Json.mapper().readTree(body);
    } catch (IOException e) {
      throw new AssertionError(body, e);
    }
  }

  @Override
  public void close() {
    http.close();
    client.close();
    platform.close();
    database.close();
  }
}
