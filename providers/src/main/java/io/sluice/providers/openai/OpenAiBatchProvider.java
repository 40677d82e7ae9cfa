package io.sluice.providers.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.providers.BatchItemResult;
import io.sluice.providers.BatchLimits;
import io.sluice.providers.BatchProvider;
import io.sluice.providers.BatchRequest;
import io.sluice.providers.BatchStatus;
import io.sluice.providers.ProviderConfig;
import io.sluice.providers.ProviderKind;
import io.sluice.providers.RateLimitSnapshot;
import io.sluice.providers.internal.BatchInputChecks;
import io.sluice.providers.internal.BatchListPages;
import io.sluice.providers.internal.HttpReply;
import io.sluice.providers.internal.HttpTransport;
import io.sluice.providers.internal.MalformedBodyException;
import io.sluice.providers.internal.Multipart;
import io.sluice.providers.internal.RateLimitHeaders;
import io.sluice.schemas.json.Json;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The batch adapter for OpenAI: uploads the requests as a JSONL file ({@code POST /v1/files},
 * {@code purpose=batch}), creates a batch on {@code /v1/chat/completions} with the only completion
 * window OpenAI accepts ({@code 24h}), polls it, and reads the output and error files.
 */
public final class OpenAiBatchProvider implements BatchProvider {
  private static final Logger log = LoggerFactory.getLogger(OpenAiBatchProvider.class);

  private static final int LIST_PAGE = 100;

  private final HttpTransport transport;

  /**
   * @param config a provider of kind {@code openai}
   * @param clock the clock that turns reset durations into instants
   * @throws IllegalArgumentException for a provider of another kind (OpenAI-compatible servers have
   *     no batch API)
   */
  public OpenAiBatchProvider(ProviderConfig config, Clock clock) {
    this.transport =
        new HttpTransport(
            config.requireKind(
                ProviderKind.OPENAI,
                "the OpenAI batch adapter (OpenAI-compatible servers have no batch API)"),
            clock);
  }

  @Override
  public String name() {
    return transport.provider();
  }

  @Override
  public BatchLimits limits() {
    return transport.config().batchLimits();
  }

  @Override
  public BatchStatus submit(List<BatchRequest> requests, Map<String, String> metadata) {
    String model =
        BatchInputChecks.check(name(), limits(), requests, BatchInputChecks.ANY_CUSTOM_ID);
    BatchInputChecks.checkMetadata(name(), metadata);
    byte[] file = inputFile(requests);
    String fileId = upload(file);
    ObjectNode create = Json.mapper().createObjectNode();
    create.put("input_file_id", fileId);
    create.put("endpoint", OpenAiWire.CHAT_PATH);
    create.put("completion_window", "24h");
    if (metadata != null && !metadata.isEmpty()) {
      ObjectNode meta = create.putObject("metadata");
      metadata.forEach(meta::put);
    }
    BatchStatus status = parse(post("/v1/batches", create));
    log.info(
        "{} batch {} created: {} requests for {} ({} bytes)",
        name(),
        status.batchId(),
        requests.size(),
        model,
        file.length);
    return status;
  }

  @Override
  public BatchStatus status(String batchId) {
    return parse(get("/v1/batches/" + BatchInputChecks.requireBatchId(batchId)));
  }

  @Override
  public List<BatchStatus> list(Instant createdSince) {
    return BatchListPages.since(
        createdSince, "/v1/batches?limit=" + LIST_PAGE, "after", this::get, this::parse);
  }

  @Override
  public BatchStatus cancel(String batchId) {
    String path = "/v1/batches/" + BatchInputChecks.requireBatchId(batchId) + "/cancel";
    return parse(post(path, Json.mapper().createObjectNode()));
  }

  @Override
  public List<BatchItemResult> results(String batchId) {
    JsonNode batch = get("/v1/batches/" + BatchInputChecks.requireBatchId(batchId));
    BatchStatus status = parse(batch);
    if (!status.isTerminal()) {
      throw new IllegalStateException(
          "batch "
              + batchId
              + " is "
              + status.providerStatus()
              + "; results are available once it has ended");
    }
    List<BatchItemResult> results = new ArrayList<>();
    for (String field : List.of("output_file_id", "error_file_id")) {
      String fileId = batch.path(field).asText(null);
      if (fileId != null && !fileId.isBlank()) {
        results.addAll(OpenAiBatchWire.results(fileContent(fileId)));
      }
    }
    return results;
  }

  private byte[] inputFile(List<BatchRequest> requests) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (BatchRequest request : requests) {
      byte[] line =
          (OpenAiBatchWire.inputLine(request, transport.config().defaultMaxTokens()) + "\n")
              .getBytes(StandardCharsets.UTF_8);
      BatchInputChecks.checkBytes(name(), limits(), (long) out.size() + line.length);
      out.writeBytes(line);
    }
    return out.toByteArray();
  }

  private String upload(byte[] file) {
    Multipart form =
        new Multipart()
            .field("purpose", "batch")
            .file("file", "batch.jsonl", "application/jsonl", file);
    HttpRequest request =
        OpenAiAuth.authorize(transport, transport.request("/v1/files"))
            .header("Content-Type", form.contentType())
            .POST(HttpRequest.BodyPublishers.ofByteArray(form.body()))
            .build();
    JsonNode uploaded = transport.sendForJson(request, rateLimits());
    String id = uploaded.path("id").asText("");
    if (id.isBlank()) {
      throw new IllegalStateException(name() + " accepted the batch file but returned no file id");
    }
    return id;
  }

  private String fileContent(String fileId) {
    HttpRequest request =
        OpenAiAuth.authorize(
                transport,
                transport.request(
                    "/v1/files/" + BatchInputChecks.requireBatchId(fileId) + "/content"))
            .GET()
            .build();
    HttpReply reply = transport.send(request);
    if (!reply.isSuccess()) {
      throw transport.failure(reply, rateLimits().apply(reply));
    }
    return reply.bodyText();
  }

  private JsonNode get(String path) {
    HttpRequest request = OpenAiAuth.authorize(transport, transport.request(path)).GET().build();
    return transport.sendForJson(request, rateLimits());
  }

  private JsonNode post(String path, ObjectNode body) {
    HttpRequest request =
        OpenAiAuth.authorize(transport, transport.request(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))
            .build();
    return transport.sendForJson(request, rateLimits());
  }

  private BatchStatus parse(JsonNode batch) {
    try {
      return OpenAiBatchWire.status(batch);
    } catch (MalformedBodyException e) {
      throw io.sluice.providers.ProviderException.retriable(
          name(), 200, "malformed_response", e.getMessage(), null, null, e);
    }
  }

  private Function<HttpReply, RateLimitSnapshot> rateLimits() {
    return reply -> RateLimitHeaders.openAi(reply.headers(), reply.receivedAt());
  }

  @Override
  public void close() {
    transport.close();
  }
}
