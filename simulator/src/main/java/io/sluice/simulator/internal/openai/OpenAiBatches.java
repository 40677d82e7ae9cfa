package io.sluice.simulator.internal.openai;

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
import io.sluice.simulator.internal.batch.FileStore;
import io.sluice.simulator.internal.batch.InputFile;
import io.sluice.simulator.internal.batch.LineOutcome;
import io.sluice.simulator.internal.batch.LineRunner;
import io.sluice.simulator.internal.batch.QueueGate;
import io.sluice.simulator.internal.batch.SimBatch;
import io.sluice.simulator.internal.http.ApiError;
import io.sluice.simulator.internal.http.Ids;
import io.sluice.simulator.internal.http.Reply;
import io.sluice.simulator.internal.http.Request;
import io.sluice.simulator.internal.meter.MeterRecorder;
import io.sluice.simulator.internal.ratelimit.GoDuration;
import io.sluice.simulator.internal.realtime.RealtimeEndpoint;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The OpenAI Batch API: create, retrieve, list, cancel; statuses {@code validating → in_progress →
 * finalizing → completed}, or {@code failed}, {@code expired}, {@code cancelling → cancelled};
 * output and error files written once the batch ends. The profile's batch limits apply: a creation
 * past the creations per hour is a 429, a batch past its model's enqueued tokens fails validation
 * with {@code token_limit_exceeded}.
 */
public final class OpenAiBatches {
  private static final Set<String> SUPPORTED = Set.of("/v1/chat/completions");
  private static final int MAX_METADATA = 16;

  private final Clock clock;
  private final FileStore files;
  private final LineRunner runner;
  private final BatchTiming timing;
  private final QueueGate gate;
  private final OpenAiChat chat;
  private final Map<String, Entry> batches = new ConcurrentHashMap<>();

  /** A batch with its OpenAI-only fields. */
  private static final class Entry {
    final SimBatch batch;
    final String inputFileId;
    final String endpoint;
    final String model;
    final JsonNode metadata;
    final List<ObjectNode> errors;
    String outputFileId;
    String errorFileId;
    boolean filesWritten;

    Entry(
        SimBatch batch,
        String inputFileId,
        String endpoint,
        String model,
        JsonNode metadata,
        List<ObjectNode> errors) {
      this.batch = batch;
      this.inputFileId = inputFileId;
      this.endpoint = endpoint;
      this.model = model;
      this.metadata = metadata;
      this.errors = errors;
    }
  }

  public OpenAiBatches(SimulatorConfig config, FileStore files, MeterRecorder meter) {
    BatchSettings settings = config.batches();
    this.clock = config.clock();
    this.files = files;
    this.chat = new OpenAiChat(config.profile(), clock, null);
    this.runner =
        new LineRunner(
            config,
            OpenAiChat::parseBody,
            (call, completion) -> OpenAiChat.completionBody(call, completion, clock.instant()),
            OpenAiErrors::body,
            chat::modelNotFound);
    this.timing = new BatchTiming(settings, settings.validationTime());
    this.gate = new QueueGate("openai", config.profile().batchLimits(), meter);
  }

  /** {@code POST /v1/batches}. */
  public Reply create(Request request) {
    JsonNode body = RealtimeEndpoint.readJson(request.body());
    String inputFileId = requireText(body, "input_file_id");
    String endpoint = requireText(body, "endpoint");
    if (!InputFile.URLS.contains(endpoint)) {
      throw ApiError.badRequest(
          "Invalid value for 'endpoint': '"
              + endpoint
              + "'. Supported values are "
              + InputFile.URLS
              + ".",
          "endpoint");
    }
    if (!"24h".equals(body.path("completion_window").asText(null))) {
      throw ApiError.badRequest(
          "Invalid value for 'completion_window': only '24h' is supported.", "completion_window");
    }
    JsonNode metadata = metadata(body.get("metadata"));
    FileStore.StoredFile file =
        files
            .get(inputFileId)
            .orElseThrow(
                () ->
                    new ApiError(
                        404, null, "No such File object: " + inputFileId, "input_file_id"));
    if (!file.purpose().equals("batch")) {
      throw ApiError.badRequest(
          "The input file must be uploaded with purpose 'batch'.", "input_file_id");
    }
    List<InputFile.Line> lines = InputFile.parse(file.content());
    Entry entry;
    synchronized (gate) {
      Instant now = clock.instant();
      Optional<Duration> wait = gate.admitCreation(now, lines.getFirst().model());
      if (wait.isPresent()) {
        return creationLimited(wait.get());
      }
      entry = newBatch(file, lines, endpoint, metadata, now);
    }
    batches.put(entry.batch.id(), entry);
    return Reply.json(200, json(entry, clock.instant()));
  }

  private Reply creationLimited(Duration wait) {
    String message =
        "Rate limit reached for batch creations in organization "
            + QueueGate.ORGANIZATION
            + ": Limit "
            + gate.limits().batchCreationsPerHour()
            + " per 1h. Please try again in "
            + GoDuration.format(wait)
            + ".";
    return OpenAiErrors.reply(new ApiError(429, "rate_limit_exceeded", message, null, "requests"))
        .withHeaders(chat.retryHeaders(wait));
  }

  private Entry newBatch(
      FileStore.StoredFile file,
      List<InputFile.Line> lines,
      String endpoint,
      JsonNode metadata,
      Instant now) {
    List<ObjectNode> errors = new ArrayList<>();
    for (InputFile.Line line : lines) {
      if (!line.url().equals(endpoint)) {
        errors.add(
            error(
                "invalid_url",
                "The url '"
                    + line.url()
                    + "' does not match the batch endpoint '"
                    + endpoint
                    + "'.",
                "url",
                line.number()));
      }
    }
    if (!SUPPORTED.contains(endpoint)) {
      errors.add(
          error(
              "unsupported_endpoint",
              "The simulator serves only /v1/chat/completions batches.",
              "endpoint",
              null));
    }
    String model = lines.getFirst().model();
    List<BatchQueue.LineCost> costs = new ArrayList<>(lines.size());
    lines.forEach(l -> costs.add(BatchQueue.LineCost.of(l.body(), OpenAiChat::parseBody)));
    BatchQueue.Level demand = BatchQueue.Level.of(costs);
    if (errors.isEmpty() && !gate.tokensFit(now, model, demand)) {
      errors.add(tokenLimitExceeded(model));
    }
    String id = Ids.next("batch_");
    BatchTiming.Planned planned = timing.next(now, lines.size(), !errors.isEmpty());
    List<Integer> order = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      order.add(i);
    }
    Collections.shuffle(order, new Random(planned.orderSeed()));
    List<BatchLine> ordered = new ArrayList<>(order.size());
    List<BatchQueue.LineCost> orderedCosts = new ArrayList<>(order.size());
    for (int i : order) {
      ordered.add(new BatchLine(lines.get(i).customId(), lines.get(i).body()));
      orderedCosts.add(costs.get(i));
    }
    SimBatch batch = new SimBatch(id, ordered, planned.timeline(), line -> runner.run(id, line));
    if (errors.isEmpty()) {
      gate.queued(now, batch, orderedCosts, demand);
    } else {
      gate.createdInvalid(model, lines.size());
    }
    return new Entry(batch, file.id(), endpoint, model, metadata, errors);
  }

  private ObjectNode tokenLimitExceeded(String model) {
    return error(
        "token_limit_exceeded",
        "Enqueued token limit reached for "
            + model
            + " in organization "
            + QueueGate.ORGANIZATION
            + ": Limit: "
            + gate.limits().enqueuedTokensFor(model)
            + " enqueued tokens. Please try again once some in_progress batches have been"
            + " completed.",
        null,
        null);
  }

  /** {@code GET /v1/batches/{id}}. */
  public Reply retrieve(String id) {
    return Reply.json(200, json(find(id), clock.instant()));
  }

  /** {@code POST /v1/batches/{id}/cancel}. */
  public Reply cancel(String id) {
    Entry entry = find(id);
    Instant now = clock.instant();
    if (!entry.batch.cancel(now)) {
      String status = entry.batch.progress(now).state().phase().openAi();
      throw new ApiError(409, null, "Cannot cancel a batch with status '" + status + "'.", null);
    }
    return Reply.json(200, json(entry, now));
  }

  /** {@code GET /v1/batches?after=&limit=}: newest first. */
  public Reply list(Request request) {
    int limit = limit(request);
    List<Entry> all =
        batches.values().stream()
            .sorted((a, b) -> b.batch.created().compareTo(a.batch.created()))
            .toList();
    int from = request.param("after").map(after -> indexAfter(all, after)).orElse(0);
    List<Entry> page = all.subList(Math.min(from, all.size()), Math.min(all.size(), from + limit));
    Instant now = clock.instant();
    ObjectNode root = Json.mapper().createObjectNode();
    root.put("object", "list");
    ArrayNode data = root.putArray("data");
    page.forEach(e -> data.add(json(e, now)));
    root.put("first_id", page.isEmpty() ? null : page.getFirst().batch.id());
    root.put("last_id", page.isEmpty() ? null : page.getLast().batch.id());
    root.put("has_more", from + page.size() < all.size());
    return Reply.json(200, root);
  }

  private static int indexAfter(List<Entry> all, String after) {
    for (int i = 0; i < all.size(); i++) {
      if (all.get(i).batch.id().equals(after)) {
        return i + 1;
      }
    }
    return all.size();
  }

  private static int limit(Request request) {
    try {
      int limit = Integer.parseInt(request.param("limit").orElse("20"));
      if (limit < 1 || limit > 100) {
        throw ApiError.badRequest("'limit' must be between 1 and 100.", "limit");
      }
      return limit;
    } catch (NumberFormatException e) {
      throw ApiError.badRequest("'limit' must be an integer.", "limit");
    }
  }

  private Entry find(String id) {
    Entry entry = batches.get(id);
    if (entry == null) {
      throw new ApiError(404, null, "No batch found with id '" + id + "'.", "batch_id");
    }
    return entry;
  }

  private ObjectNode json(Entry entry, Instant now) {
    synchronized (entry) {
      SimBatch.Progress progress = entry.batch.progress(now);
      BatchPhase phase = progress.state().phase();
      if (!entry.filesWritten && phase.isTerminal() && phase != BatchPhase.FAILED) {
        writeFiles(entry, phase, now);
      }
      return batchObject(entry, progress, phase);
    }
  }

  private ObjectNode batchObject(Entry entry, SimBatch.Progress progress, BatchPhase phase) {
    BatchTimeline timeline = entry.batch.timeline();
    BatchTimeline.State state = progress.state();
    ObjectNode node = Json.mapper().createObjectNode();
    node.put("id", entry.batch.id());
    node.put("object", "batch");
    node.put("endpoint", entry.endpoint);
    node.put("model", entry.model);
    if (entry.errors.isEmpty()) {
      node.putNull("errors");
    } else {
      ObjectNode errors = node.putObject("errors");
      errors.put("object", "list");
      errors.putArray("data").addAll(entry.errors);
    }
    node.put("input_file_id", entry.inputFileId);
    node.put("completion_window", "24h");
    node.put("status", phase.openAi());
    node.put("output_file_id", entry.outputFileId);
    node.put("error_file_id", entry.errorFileId);
    node.put("created_at", seconds(timeline.created()));
    boolean started =
        phase != BatchPhase.VALIDATING
            && phase != BatchPhase.FAILED
            && (timeline.cancelRequested() == null
                || !timeline.cancelRequested().isBefore(timeline.processingStart()));
    node.put("in_progress_at", started ? seconds(timeline.processingStart()) : null);
    node.put("expires_at", seconds(timeline.expiry()));
    boolean finalized = phase == BatchPhase.FINALIZING || phase == BatchPhase.COMPLETED;
    node.put("finalizing_at", finalized ? seconds(timeline.workDone()) : null);
    node.put("completed_at", phase == BatchPhase.COMPLETED ? seconds(state.phaseSince()) : null);
    node.put("failed_at", phase == BatchPhase.FAILED ? seconds(state.phaseSince()) : null);
    node.put("expired_at", phase == BatchPhase.EXPIRED ? seconds(state.phaseSince()) : null);
    node.put(
        "cancelling_at",
        timeline.cancelRequested() == null ? null : seconds(timeline.cancelRequested()));
    node.put("cancelled_at", phase == BatchPhase.CANCELLED ? seconds(state.phaseSince()) : null);
    ObjectNode counts = node.putObject("request_counts");
    counts.put("total", entry.batch.size());
    counts.put("completed", progress.succeeded());
    int unfinishedFailed =
        phase == BatchPhase.EXPIRED || phase == BatchPhase.CANCELLED ? progress.notDone() : 0;
    counts.put("failed", progress.errored() + unfinishedFailed);
    if (entry.metadata == null) {
      node.putNull("metadata");
    } else {
      node.set("metadata", entry.metadata);
    }
    ObjectNode usage = node.putObject("usage");
    usage.put("input_tokens", progress.inputTokens());
    usage.putObject("input_tokens_details").put("cached_tokens", 0);
    usage.put("output_tokens", progress.outputTokens());
    usage.putObject("output_tokens_details").put("reasoning_tokens", 0);
    usage.put("total_tokens", progress.inputTokens() + progress.outputTokens());
    return node;
  }

  private void writeFiles(Entry entry, BatchPhase phase, Instant now) {
    StringBuilder output = new StringBuilder();
    StringBuilder errors = new StringBuilder();
    for (SimBatch.Result result : entry.batch.results(now)) {
      LineOutcome outcome = result.outcome();
      ObjectNode line = Json.mapper().createObjectNode();
      line.put("id", Ids.next("batch_req_"));
      line.put("custom_id", result.line().customId());
      if (outcome == null) {
        line.putNull("response");
        ObjectNode error = line.putObject("error");
        error.put("code", phase == BatchPhase.EXPIRED ? "batch_expired" : "batch_cancelled");
        error.put(
            "message",
            phase == BatchPhase.EXPIRED
                ? "This request could not be executed before the completion window expired."
                : "This request was not executed because the batch was cancelled.");
        errors.append(line).append('\n');
        continue;
      }
      ObjectNode response = line.putObject("response");
      response.put("status_code", outcome.status());
      response.put("request_id", outcome.requestId());
      response.set("body", outcome.body());
      line.putNull("error");
      (outcome.succeeded() ? output : errors).append(line).append('\n');
    }
    String id = entry.batch.id();
    entry.outputFileId = store(id + "_output.jsonl", output, now);
    entry.errorFileId = store(id + "_error.jsonl", errors, now);
    entry.filesWritten = true;
  }

  private String store(String name, StringBuilder content, Instant now) {
    if (content.isEmpty()) {
      return null;
    }
    byte[] bytes = content.toString().getBytes(StandardCharsets.UTF_8);
    return files.add(name, "batch_output", bytes, now).id();
  }

  private static JsonNode metadata(JsonNode metadata) {
    if (metadata == null || metadata.isNull()) {
      return null;
    }
    if (!metadata.isObject() || metadata.size() > MAX_METADATA) {
      throw ApiError.badRequest(
          "'metadata' must be an object with at most 16 key-value pairs.", "metadata");
    }
    metadata
        .properties()
        .forEach(
            e -> {
              if (e.getKey().length() > 64
                  || !e.getValue().isTextual()
                  || e.getValue().asText().length() > 512) {
                throw ApiError.badRequest(
                    "'metadata' keys must be at most 64 characters and values strings of at most 512.",
                    "metadata");
              }
            });
    return metadata;
  }

  private static String requireText(JsonNode body, String field) {
    JsonNode node = body.get(field);
    if (node == null || !node.isTextual() || node.asText().isBlank()) {
      throw ApiError.badRequest("Missing required parameter: '" + field + "'.", field);
    }
    return node.asText();
  }

  private static ObjectNode error(String code, String message, String param, Integer line) {
    ObjectNode node = Json.mapper().createObjectNode();
    node.put("code", code);
    node.put("message", message);
    node.put("param", param);
    if (line == null) {
      node.putNull("line");
    } else {
      node.put("line", line);
    }
    return node;
  }

  private static Long seconds(Instant instant) {
    return instant.getEpochSecond();
  }
}
