package io.sluice.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.schemas.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/** A plain HTTP client for tests that check bytes on the wire. */
final class RawHttp {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final URI base;

  RawHttp(URI base) {
    this.base = base;
  }

  HttpResponse<String> post(String path, String body, Map<String, String> headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve(path))
            .timeout(Duration.ofSeconds(10))
            .POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(request::header);
    return send(request.build());
  }

  HttpResponse<String> get(String path, Map<String, String> headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(10)).GET();
    headers.forEach(request::header);
    return send(request.build());
  }

  HttpResponse<String> openAi(String body) {
    return post(
        "/v1/chat/completions",
        body,
        Map.of("Authorization", "Bearer sk-test", "Content-Type", "application/json"));
  }

  HttpResponse<String> anthropic(String body) {
    return post(
        "/v1/messages",
        body,
        Map.of(
            "x-api-key", "sk-ant-test",
            "anthropic-version", "2023-06-01",
            "Content-Type", "application/json"));
  }

  static String chat(String model, String userText) {
    return Json.mapper()
        .createObjectNode()
        .put("model", model)
        .set(
            "messages",
            Json.mapper()
                .createArrayNode()
                .add(Json.mapper().createObjectNode().put("role", "user").put("content", userText)))
        .toString();
  }

  static String chat(String model, String userText, int maxTokens) {
    return ((com.fasterxml.jackson.databind.node.ObjectNode) json(chat(model, userText)))
        .put("max_tokens", maxTokens)
        .toString();
  }

  static JsonNode json(String text) {
    try {
      return Json.mapper().readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static HttpResponse<String> send(HttpRequest request) {
    try {
      return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
