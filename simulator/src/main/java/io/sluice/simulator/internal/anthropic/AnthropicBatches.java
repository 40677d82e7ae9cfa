package io.sluice.simulator.internal.anthropic;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.schemas.json.Json;
import io.sluice.simulator.BatchSettings;
import io.sluice.simulator.SimulatorConfig;
import io.sluice.simulator.internal.batch.BatchLine;
import io.sluice.simulator.internal.batch.BatchPhase;
import io.sluice.simulator.internal.batch.BatchQueue;
import io.sluice.simulator.internal.batch.BatchTimeline;
import io.sluice.simulator.internal.batch.BatchTiming;
import io.sluice.simulator.internal.batch.LineOutcome;
import io.sluice.simulator.internal.batch.LineRunner;
import io.sluice.simulator.internal.batch.QueueGate;
import io.sluice.simulator.internal.batch.SimBatch;
import io.sluice.simulator.internal.http.ApiError;
import io.sluice.simulator.internal.http.Ids;
import io.sluice.simulator.internal.http.Reply;
import io.sluice.simulator.internal.http.Request;
import io.sluice.simulator.internal.meter.MeterRecorder;
import io.sluice.simulator.internal.realtime.RealtimeEndpoint;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The Anthropic Message Batches API: create (inline requests), retrieve, list, cancel, delete and
 * results; {@code processing_status} {@code in_progress → canceling → ended}. Request parameters
 * are checked when a request runs, so their errors show up in the results, not at creation. A
 * creation that would take the account's requests in the processing queue past the profile's limit
 * is a 429 {@code rate_limit_error} with {@code retry-after}.
 */
public final class AnthropicBatches {
  public static final int MAX_REQUESTS = 100_000;
  public static final long MAX_BYTES = 256L * 1024 * 1024;
  private static final Pattern CUSTOM_ID = Pattern.compile("[a-zA-Z0-9_-]{1,64}");
  private static final String PATH = "/v1/messages/batches/";

  private final Clock clock;
  private final LineRunner runner;
  private final BatchTiming timing;
  private final QueueGate gate;
  private final Map<String, SimBatch> batches = new ConcurrentHashMap<>();

  public AnthropicBatches(SimulatorConfig config, MeterRecorder meter) {
    BatchSettings settings = config.batches();
    this.clock = config.clock();
    this.timing = new BatchTiming(settings, Duration.ZERO);
    this.gate = new QueueGate("anthropic", config.profile().batchLimits(), meter);
    this.runner =
        new LineRunner(
            config,
            AnthropicMessages::parseBody,
            AnthropicMessages::messageBody,
            AnthropicErrors::body,
            model -> new ApiError(404, "not_found_error", "model: " + model, "model"));
  }

  /** {@code POST /v1/messages/batches}. */
  public Reply create(Request request) {
    if (request.body().length > MAX_BYTES) {
      throw new ApiError(
          413, "request_too_large", "Request exceeds the maximum allowed number of bytes.", null);
    }
    JsonNode requests = RealtimeEndpoint.readJson(request.body()).get("requests");
    if (requests == null || !requests.isArray() || requests.isEmpty()) {
      throw ApiError.badRequest("requests: Field required (a non-empty list)", "requests");
    }
    if (requests.size() > MAX_REQUESTS) {
      throw new ApiError(
          413,
          "request_too_large",
          "A batch may contain at most " + MAX_REQUESTS + " requests; got " + requests.size() + ".",
          null);
    }
    List<BatchLine> lines = lines(requests);
    SimBatch batch;
    synchronized (gate) {
      Instant now = clock.instant();
      List<BatchQueue.LineCost> costs = new ArrayList<>(lines.size());
      lines.forEach(
          l -> costs.add(BatchQueue.LineCost.of(l.request(), AnthropicMessages::parseBody)));
      BatchQueue.Level demand = BatchQueue.Level.of(costs);
      Optional<Duration> wait = gate.requestsFit(now, demand);
      if (wait.isPresent()) {
        return queueFull(now, lines.size(), wait.get());
      }
      String id = Ids.next("msgbatch_");
      BatchTiming.Planned planned = timing.next(now, lines.size(), false);
      List<Integer> order = new ArrayList<>();
      for (int i = 0; i < lines.size(); i++) {
        order.add(i);
      }
      Collections.shuffle(order, new Random(planned.orderSeed()));
      List<BatchLine> ordered = new ArrayList<>(order.size());
      List<BatchQueue.LineCost> orderedCosts = new ArrayList<>(order.size());
      for (int i : order) {
        ordered.add(lines.get(i));
        orderedCosts.add(costs.get(i));
      }
      batch = new SimBatch(id, ordered, planned.timeline(), line -> runner.run(id, line));
      gate.queued(now, batch, orderedCosts, demand);
    }
    batches.put(batch.id(), batch);
    return Reply.json(200, json(batch, request, clock.instant()));
  }

  private Reply queueFull(Instant now, int requested, Duration wait) {
    long limit = gate.limits().queuedRequests();
    String message =
        "This request would exceed your organization's ("
            + QueueGate.ORGANIZATION
            + ") limit of "
            + limit
            + " batch requests in the processing queue: "
            + gate.queuedRequests(now)
            + " are queued and this batch has "
            + requested
            + ". Please try again once some batches have ended.";
    long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
    return AnthropicErrors.reply(new ApiError(429, "rate_limit_error", message, null))
        .withHeader("retry-after", Long.toString(seconds));
  }

  private static List<BatchLine> lines(JsonNode requests) {
    List<BatchLine> lines = new ArrayList<>(requests.size());
    Set<String> ids = new HashSet<>();
    for (int i = 0; i < requests.size(); i++) {
      JsonNode item = requests.get(i);
      String customId = item.path("custom_id").asText("");
      if (!item.path("custom_id").isTextual() || !CUSTOM_ID.matcher(customId).matches()) {
        throw ApiError.badRequest(
            "requests." + i + ".custom_id: must be 1 to 64 letters, digits, '_' or '-'",
            "requests");
      }
      if (!ids.add(customId)) {
        throw ApiError.badRequest(
            "requests." + i + ".custom_id: duplicate custom_id '" + customId + "'", "requests");
      }
      JsonNode params = item.get("params");
      if (params == null || !params.isObject()) {
        throw ApiError.badRequest("requests." + i + ".params: Field required", "requests");
      }
      lines.add(new BatchLine(customId, params));
    }
    return lines;
  }

  /** {@code GET /v1/messages/batches/{id}}. */
  public Reply retrieve(Request request, String id) {
    return Reply.json(200, json(find(id), request, clock.instant()));
  }

  /** {@code POST /v1/messages/batches/{id}/cancel}. */
  public Reply cancel(Request request, String id) {
    SimBatch batch = find(id);
    Instant now = clock.instant();
    if (!batch.cancel(now)) {
      throw ApiError.badRequest("Batch " + id + " has already ended and cannot be canceled.", null);
    }
    return Reply.json(200, json(batch, request, now));
  }

  /** {@code DELETE /v1/messages/batches/{id}}: only ended batches. */
  public Reply delete(String id) {
    SimBatch batch = find(id);
    if (!batch.progress(clock.instant()).state().phase().isTerminal()) {
      throw ApiError.badRequest(
          "Batch " + id + " is still processing; cancel it and wait until it has ended.", null);
    }
    batches.remove(id);
    return Reply.json(200, Map.of("id", id, "type", "message_batch_deleted"));
  }

  /** {@code GET /v1/messages/batches/{id}/results}: JSONL, once the batch has ended. */
  public Reply results(String id) {
    SimBatch batch = find(id);
    Instant now = clock.instant();
    BatchPhase phase = batch.progress(now).state().phase();
    if (!phase.isTerminal()) {
      throw ApiError.badRequest(
          "Batch " + id + " is still processing; results are available once it has ended.", null);
    }
    StringBuilder out = new StringBuilder();
    for (SimBatch.Result result : batch.results(now)) {
      out.append(resultLine(result, phase)).append('\n');
    }
    return Reply.text(200, "application/x-jsonl", out.toString());
  }

  private static ObjectNode resultLine(SimBatch.Result result, BatchPhase phase) {
    ObjectNode line = Json.mapper().createObjectNode();
    line.put("custom_id", result.line().customId());
    ObjectNode inner = line.putObject("result");
    LineOutcome outcome = result.outcome();
    if (outcome == null) {
      inner.put("type", phase == BatchPhase.EXPIRED ? "expired" : "canceled");
    } else if (outcome.succeeded()) {
      inner.put("type", "succeeded");
      inner.set("message", outcome.body());
    } else {
      inner.put("type", "errored");
      ObjectNode error = ((ObjectNode) outcome.body()).deepCopy();
      error.put("request_id", outcome.requestId());
      inner.set("error", error);
    }
    return line;
  }

  /** {@code GET /v1/messages/batches?limit=&after_id=&before_id=}: newest first. */
  public Reply list(Request request) {
    int limit = limit(request);
    List<SimBatch> all =
        batches.values().stream().sorted((a, b) -> b.created().compareTo(a.created())).toList();
    int from = request.param("after_id").map(after -> indexOf(all, after) + 1).orElse(0);
    int to = request.param("before_id").map(before -> indexOf(all, before)).orElse(all.size());
    if (request.param("before_id").isPresent()) {
      from = Math.max(from, to - limit);
    }
    to = Math.min(to, from + limit);
    List<SimBatch> page =
        all.subList(Math.min(from, all.size()), Math.max(Math.min(from, all.size()), to));
    Instant now = clock.instant();
    ObjectNode root = Json.mapper().createObjectNode();
    ArrayNode data = root.putArray("data");
    page.forEach(b -> data.add(json(b, request, now)));
    root.put("has_more", to < all.size() || (request.param("before_id").isPresent() && from > 0));
    root.put("first_id", page.isEmpty() ? null : page.getFirst().id());
    root.put("last_id", page.isEmpty() ? null : page.getLast().id());
    return Reply.json(200, root);
  }

  private static int indexOf(List<SimBatch> all, String id) {
    for (int i = 0; i < all.size(); i++) {
      if (all.get(i).id().equals(id)) {
        return i;
      }
    }
    return all.size();
  }

  private static int limit(Request request) {
    try {
      int limit = Integer.parseInt(request.param("limit").orElse("20"));
      if (limit < 1 || limit > 1000) {
        throw ApiError.badRequest("limit: must be between 1 and 1000", "limit");
      }
      return limit;
    } catch (NumberFormatException e) {
      throw ApiError.badRequest("limit: must be an integer", "limit");
    }
  }

  private SimBatch find(String id) {
    SimBatch batch = batches.get(id);
    if (batch == null) {
      throw new ApiError(404, "not_found_error", "No message batch with id " + id, null);
    }
    return batch;
  }

  private static ObjectNode json(SimBatch batch, Request request, Instant now) {
    SimBatch.Progress progress = batch.progress(now);
    BatchPhase phase = progress.state().phase();
    BatchTimeline timeline = batch.timeline();
    ObjectNode node = Json.mapper().createObjectNode();
    node.put("id", batch.id());
    node.put("type", "message_batch");
    node.put("processing_status", phase.anthropic());
    ObjectNode counts = node.putObject("request_counts");
    counts.put("processing", phase.isTerminal() ? 0 : progress.notDone());
    counts.put("succeeded", progress.succeeded());
    counts.put("errored", progress.errored());
    counts.put("canceled", phase == BatchPhase.CANCELLED ? progress.notDone() : 0);
    counts.put("expired", phase == BatchPhase.EXPIRED ? progress.notDone() : 0);
    node.put("ended_at", phase.isTerminal() ? time(progress.state().phaseSince()) : null);
    node.put("created_at", time(timeline.created()));
    node.put("expires_at", time(timeline.expiry()));
    node.putNull("archived_at");
    node.put(
        "cancel_initiated_at",
        timeline.cancelRequested() == null ? null : time(timeline.cancelRequested()));
    node.put("results_url", phase.isTerminal() ? resultsUrl(request, batch.id()) : null);
    return node;
  }

  private static String resultsUrl(Request request, String id) {
    return "http://" + request.header("host").orElse("127.0.0.1") + PATH + id + "/results";
  }

  private static String time(Instant instant) {
    return instant.toString();
  }
}
