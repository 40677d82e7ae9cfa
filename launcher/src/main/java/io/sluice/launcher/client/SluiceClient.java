package io.sluice.launcher.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.schemas.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Executors;

/** A small client of the job API, for the demo and the {@code submit} / {@code status} commands. */
public final class SluiceClient implements AutoCloseable {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  private final URI baseUrl;
  private final String apiKey;
  private final HttpClient http;
  private final ObjectMapper json = Json.mapper();

  public SluiceClient(URI baseUrl, String apiKey) {
    this.baseUrl = baseUrl;
    this.apiKey = apiKey;
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(5))
            .executor(Executors.newVirtualThreadPerTaskExecutor())
            .build();
  }

  /** Submits a job; returns the API's answer (its {@code id} among the fields). */
  public JsonNode submit(Map<String, Object> body) {
    return send(
        HttpRequest.newBuilder(baseUrl.resolve("/v1/jobs"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(write(body))),
        202);
  }

  /** Reads a job's status and, once it is done, its result. */
  public JsonNode job(String id) {
    return send(HttpRequest.newBuilder(baseUrl.resolve("/v1/jobs/" + id)).GET(), 200);
  }

  /**
   * Reads a job once it has ended, or as it is after {@code wait} (a long poll: at most 60 s); the
   * server holds no thread meanwhile.
   */
  public JsonNode job(String id, Duration wait) {
    return send(
        HttpRequest.newBuilder(
                baseUrl.resolve("/v1/jobs/" + id + "?wait=" + wait.toMillis() + "ms"))
            .timeout(wait.plus(TIMEOUT))
            .GET(),
        200);
  }

  /**
   * Registers a webhook endpoint for every event type; the answer carries its signing {@code
   * secret}, shown only this once.
   */
  public JsonNode createWebhookEndpoint(URI url, String description) {
    return send(
        HttpRequest.newBuilder(baseUrl.resolve("/v1/webhook-endpoints"))
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofByteArray(
                    write(Map.of("url", url.toString(), "description", description)))),
        201);
  }

  /** The request's own timeout (a long poll's), or the client's. */
  private static HttpRequest.Builder withTimeout(HttpRequest.Builder request) {
    return request.build().timeout().isPresent() ? request : request.timeout(TIMEOUT);
  }

  private JsonNode send(HttpRequest.Builder request, int expectedStatus) {
    try {
      HttpResponse<byte[]> response =
          http.send(
              withTimeout(request).header("Authorization", "Bearer " + apiKey).build(),
              HttpResponse.BodyHandlers.ofByteArray());
      JsonNode body = response.body().length == 0 ? null : json.readTree(response.body());
      if (response.statusCode() != expectedStatus) {
        throw new ApiException(response.statusCode(), body == null ? "" : body.toString());
      }
      return body;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot reach the job API at " + baseUrl, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while calling the job API", e);
    }
  }

  private byte[] write(Object body) {
    try {
      return json.writeValueAsBytes(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    http.close();
  }

  /** The API answered with an unexpected status. */
  public static final class ApiException extends RuntimeException {
    private final int status;
    private final String body;

    public ApiException(int status, String body) {
      super("job API answered HTTP " + status + ": " + body);
      this.status = status;
      this.body = body;
    }

    /** The answer's body, as the API sent it. */
    public String body() {
      return body;
    }

    public int status() {
      return status;
    }
  }
}
