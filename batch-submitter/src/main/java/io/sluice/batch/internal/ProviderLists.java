package io.sluice.batch.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.providers.ProviderConfig;
import io.sluice.schemas.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** GETs one page of a provider's batch list. */
final class ProviderLists {
  private final HttpClient http;
  private final ProviderConfig config;

  ProviderLists(ProviderConfig config) {
    this.config = config;
    this.http = HttpClient.newBuilder().connectTimeout(config.connectTimeout()).build();
  }

  JsonNode page(String pathAndQuery, boolean anthropic) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(config.resolve(pathAndQuery).toString()))
            .timeout(Duration.ofSeconds(60))
            .GET();
    String key = config.apiKey() == null ? "" : config.apiKey().reveal();
    if (anthropic) {
      request.header("x-api-key", key).header("anthropic-version", config.anthropicVersion());
    } else {
      request.header("Authorization", "Bearer " + key);
    }
    try {
      HttpResponse<byte[]> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
      if (response.statusCode() / 100 != 2) {
        throw new IllegalStateException(
            config.name() + " batch list answered HTTP " + response.statusCode());
      }
      return Json.mapper().readTree(response.body());
    } catch (IOException e) {
      throw new IllegalStateException(
          config.name() + " batch list failed: " + e.getClass().getSimpleName(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(config.name() + " batch list interrupted", e);
    }
  }
}
