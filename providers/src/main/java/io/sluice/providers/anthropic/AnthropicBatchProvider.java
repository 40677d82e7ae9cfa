package io.sluice.providers.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.providers.BatchItemResult;
import io.sluice.providers.BatchLimits;
import io.sluice.providers.BatchProvider;
import io.sluice.providers.BatchRequest;
import io.sluice.providers.BatchStatus;
import io.sluice.providers.ProviderConfig;
import io.sluice.providers.ProviderException;
import io.sluice.providers.ProviderKind;
import io.sluice.providers.RateLimitSnapshot;
import io.sluice.providers.internal.BatchInputChecks;
import io.sluice.providers.internal.BatchListPages;
import io.sluice.providers.internal.HttpReply;
import io.sluice.providers.internal.HttpTransport;
import io.sluice.providers.internal.MalformedBodyException;
import io.sluice.providers.internal.RateLimitHeaders;
import io.sluice.schemas.json.Json;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The batch adapter for Anthropic's Message Batches: the requests go inline in {@code POST
 * /v1/messages/batches}; results are read from {@code /v1/messages/batches/{id}/results} on the
 * configured base URL (not from {@code results_url}, so the API key never goes to another host).
 * Anthropic checks request parameters only while processing, so invalid requests show up as errored
 * results, not at creation. Metadata is not supported by the API and is ignored.
 */
public final class AnthropicBatchProvider implements BatchProvider {
  private static final Logger log = LoggerFactory.getLogger(AnthropicBatchProvider.class);
  private static final String BATCHES_PATH = "/v1/messages/batches";

  private static final int LIST_PAGE = 100;

  private final HttpTransport transport;

  /**
   * @param config a provider of kind {@code anthropic}
   * @param clock the clock for HTTP-date retry hints
   * @throws IllegalArgumentException for a provider of another kind
   */
  public AnthropicBatchProvider(ProviderConfig config, Clock clock) {
    this.transport =
        new HttpTransport(
            config.requireKind(ProviderKind.ANTHROPIC, "the Anthropic Message Batches adapter"),
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
        BatchInputChecks.check(name(), limits(), requests, BatchInputChecks.ANTHROPIC_CUSTOM_ID);
    ObjectNode body = Json.mapper().createObjectNode();
    ArrayNode entries = body.putArray("requests");
    for (BatchRequest request : requests) {
      entries.add(AnthropicBatchWire.entry(request, transport.config().defaultMaxTokens()));
    }
    byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
    BatchInputChecks.checkBytes(name(), limits(), bytes.length);
    BatchStatus status = parse(post(BATCHES_PATH, bytes));
    log.info(
        "{} message batch {} created: {} requests for {} ({} bytes)",
        name(),
        status.batchId(),
        requests.size(),
        model,
        bytes.length);
    return status;
  }

  @Override
  public BatchStatus status(String batchId) {
    return parse(get(BATCHES_PATH + "/" + BatchInputChecks.requireBatchId(batchId)));
  }

  @Override
  public List<BatchStatus> list(Instant createdSince) {
    return BatchListPages.since(
        createdSince,
        "/v1/messages/batches?limit=" + LIST_PAGE,
        "after_id",
        this::get,
        this::parse);
  }

  @Override
  public BatchStatus cancel(String batchId) {
    String path = BATCHES_PATH + "/" + BatchInputChecks.requireBatchId(batchId) + "/cancel";
    return parse(post(path, new byte[0]));
  }

  @Override
  public List<BatchItemResult> results(String batchId) {
    BatchStatus status = status(batchId);
    if (!status.isTerminal()) {
      throw new IllegalStateException(
          "batch "
              + batchId
              + " is "
              + status.providerStatus()
              + "; results are available once it has ended");
    }
    HttpRequest request =
        AnthropicAuth.authorize(
                transport, transport.request(BATCHES_PATH + "/" + batchId + "/results"))
            .GET()
            .build();
    HttpReply reply = transport.send(request);
    if (!reply.isSuccess()) {
      throw transport.failure(reply, rateLimits().apply(reply));
    }
    return AnthropicBatchWire.results(reply.bodyText());
  }

  private JsonNode get(String path) {
    HttpRequest request = AnthropicAuth.authorize(transport, transport.request(path)).GET().build();
    return transport.sendForJson(request, rateLimits());
  }

  private JsonNode post(String path, byte[] body) {
    HttpRequest request =
        AnthropicAuth.authorize(transport, transport.request(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    return transport.sendForJson(request, rateLimits());
  }

  private BatchStatus parse(JsonNode batch) {
    try {
      return AnthropicBatchWire.status(batch);
    } catch (MalformedBodyException e) {
      throw ProviderException.retriable(
          name(), 200, "malformed_response", e.getMessage(), null, null, e);
    }
  }

  private static Function<HttpReply, RateLimitSnapshot> rateLimits() {
    return reply -> RateLimitHeaders.anthropic(reply.headers());
  }

  @Override
  public void close() {
    transport.close();
  }
}
