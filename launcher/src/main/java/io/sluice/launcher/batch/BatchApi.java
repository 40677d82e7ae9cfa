package io.sluice.launcher.batch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.launcher.client.SluiceClient.ApiException;
import io.sluice.schemas.json.Json;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The OpenAI-compatible Files and Batches endpoints of the job API, as the {@code sluice batch}
 * commands use them. Uploads and downloads stream: a file of any size passes through a small
 * buffer.
 */
public final class BatchApi implements AutoCloseable {
  private static final Duration TIMEOUT = Duration.ofSeconds(30);
  private static final Duration TRANSFER_TIMEOUT = Duration.ofHours(1);

  private final URI baseUrl;
  private final String apiKey;
  private final HttpClient http;
  private final ObjectMapper json = Json.mapper();

  public BatchApi(URI baseUrl, String apiKey) {
    this.baseUrl = baseUrl;
    this.apiKey = apiKey;
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  }

  /** Uploads a JSONL file with {@code purpose=batch}; returns the file object. */
  public JsonNode upload(Path file) {
    String boundary = "sluice-" + UUID.randomUUID();
    String head =
        "--%s\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nbatch\r\n--%s\r\n"
                .formatted(boundary, boundary)
            + "Content-Disposition: form-data; name=\"file\"; filename=\"%s\"\r\n"
                .formatted(file.getFileName().toString().replace("\"", "_"))
            + "Content-Type: application/jsonl\r\n\r\n";
    String tail = "\r\n--" + boundary + "--\r\n";
    try {
      return send(
          request("/v1/files")
              .timeout(TRANSFER_TIMEOUT)
              .header("Content-Type", "multipart/form-data; boundary=" + boundary)
              .POST(
                  BodyPublishers.concat(
                      BodyPublishers.ofString(head),
                      BodyPublishers.ofFile(file),
                      BodyPublishers.ofString(tail))));
    } catch (FileNotFoundException e) {
      throw new UncheckedIOException("cannot read " + file, e);
    }
  }

  /** Creates a batch of the uploaded file's requests, to be done within {@code window}. */
  public JsonNode create(String inputFileId, String window, Map<String, String> metadata) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("input_file_id", inputFileId);
    body.put("endpoint", "/v1/chat/completions");
    body.put("completion_window", window);
    if (!metadata.isEmpty()) {
      body.put("metadata", metadata);
    }
    // job-api answers at once with the batch validating; its lines are taken in behind the answer
    return send(
        request("/v1/batches")
            .header("Content-Type", "application/json")
            .POST(BodyPublishers.ofByteArray(write(body))));
  }

  public JsonNode batch(String id) {
    return send(request("/v1/batches/" + encode(id)).GET());
  }

  public JsonNode list(int limit, String after) {
    String query = "?limit=" + limit + (after == null ? "" : "&after=" + encode(after));
    return send(request("/v1/batches" + query).GET());
  }

  public JsonNode cancel(String id) {
    return send(request("/v1/batches/" + encode(id) + "/cancel").POST(BodyPublishers.noBody()));
  }

  /** Streams a file's content to {@code target} (replaced when it exists); returns its size. */
  public long download(String fileId, Path target) {
    HttpRequest request =
        request("/v1/files/" + encode(fileId) + "/content").timeout(TRANSFER_TIMEOUT).GET().build();
    Path partial = target.resolveSibling(target.getFileName() + ".part");
    try {
      HttpResponse<Path> response = http.send(request, BodyHandlers.ofFile(partial));
      if (response.statusCode() != 200) {
        String body = Files.readString(partial);
        Files.deleteIfExists(partial);
        throw new ApiException(response.statusCode(), body);
      }
      Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING);
      return Files.size(target);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot download " + fileId + " from " + baseUrl, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while downloading " + fileId, e);
    }
  }

  /** Streams a file's content to standard output. */
  public void download(String fileId, java.io.OutputStream out) {
    HttpRequest request =
        request("/v1/files/" + encode(fileId) + "/content").timeout(TRANSFER_TIMEOUT).GET().build();
    try {
      HttpResponse<java.io.InputStream> response = http.send(request, BodyHandlers.ofInputStream());
      try (java.io.InputStream in = response.body()) {
        if (response.statusCode() != 200) {
          throw new ApiException(
              response.statusCode(), new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        in.transferTo(out);
        out.flush();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot download " + fileId + " from " + baseUrl, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while downloading " + fileId, e);
    }
  }

  private HttpRequest.Builder request(String path) {
    return HttpRequest.newBuilder(baseUrl.resolve(path))
        .timeout(TIMEOUT)
        .header("Authorization", "Bearer " + apiKey);
  }

  private JsonNode send(HttpRequest.Builder request) {
    try {
      HttpResponse<byte[]> response = http.send(request.build(), BodyHandlers.ofByteArray());
      JsonNode body = response.body().length == 0 ? null : json.readTree(response.body());
      if (response.statusCode() / 100 != 2) {
        throw new ApiException(response.statusCode(), body == null ? "" : body.toString());
      }
      return body;
    } catch (HttpTimeoutException e) {
      throw new UncheckedIOException(
          "the job API at " + baseUrl + " did not answer in time (" + e.getMessage() + ")", e);
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

  private static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8);
  }

  @Override
  public void close() {
    http.close();
  }
}
