package io.sluice.providers.openai;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.providers.BatchCounts;
import io.sluice.providers.BatchItemResult;
import io.sluice.providers.BatchItemStatus;
import io.sluice.providers.BatchRequest;
import io.sluice.providers.BatchState;
import io.sluice.providers.BatchStatus;
import io.sluice.providers.internal.BatchLineResults;
import io.sluice.providers.internal.ErrorBody;
import io.sluice.providers.internal.FailureClassifier;
import io.sluice.providers.internal.JsonFields;
import io.sluice.providers.internal.JsonLines;
import io.sluice.providers.internal.MalformedBodyException;
import io.sluice.schemas.job.ErrorInfo;
import io.sluice.schemas.job.TokenUsage;
import io.sluice.schemas.json.Json;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** OpenAI's Batch API formats: input lines, the batch object, output and error file lines. */
final class OpenAiBatchWire {
  private OpenAiBatchWire() {}

  /** One input line: {@code {"custom_id","method":"POST","url":"/v1/chat/completions","body"}}. */
  static String inputLine(BatchRequest request, Integer defaultMaxTokens) {
    ObjectNode line = Json.mapper().createObjectNode();
    line.put("custom_id", request.customId());
    line.put("method", "POST");
    line.put("url", OpenAiWire.CHAT_PATH);
    line.set(
        "body",
        OpenAiWire.chatRequest(request.spec(), defaultMaxTokens, OpenAiWire.MAX_COMPLETION_TOKENS));
    return line.toString();
  }

  /** A batch object as returned by create, retrieve and cancel. */
  static BatchStatus status(JsonNode batch) {
    String id = JsonFields.text(batch, "id");
    String status = JsonFields.text(batch, "status");
    if (id == null || status == null) {
      throw new MalformedBodyException("the batch object has no id or status");
    }
    JsonNode counts = batch.path("request_counts");
    long total = JsonFields.count(counts, "total");
    long completed = JsonFields.count(counts, "completed");
    long failed = JsonFields.count(counts, "failed");
    Optional<ErrorBody> failure = firstError(batch);
    return new BatchStatus(
        id,
        state(status),
        status,
        new BatchCounts(total, Math.max(0, total - completed - failed), completed, failed, 0, 0),
        epochSeconds(batch, "created_at"),
        epochSeconds(batch, "expires_at"),
        failure.map(ErrorBody::code).orElse(null),
        failure.map(ErrorBody::message).orElse(null),
        metadata(batch.path("metadata")));
  }

  private static Map<String, String> metadata(JsonNode metadata) {
    Map<String, String> values = new LinkedHashMap<>();
    metadata.properties().forEach(field -> values.put(field.getKey(), field.getValue().asText()));
    return values;
  }

  /** Every parsable line of an output or error file. */
  static List<BatchItemResult> results(String jsonl) {
    List<BatchItemResult> results = new ArrayList<>();
    for (JsonNode line : JsonLines.parse(jsonl)) {
      String customId = JsonFields.text(line, "custom_id");
      if (customId != null) {
        results.add(result(customId, line));
      }
    }
    return results;
  }

  static BatchState state(String status) {
    return switch (status.toLowerCase(Locale.ROOT)) {
      case "validating" -> BatchState.VALIDATING;
      case "in_progress" -> BatchState.IN_PROGRESS;
      case "finalizing" -> BatchState.FINALIZING;
      case "cancelling" -> BatchState.CANCELLING;
      case "completed" -> BatchState.COMPLETED;
      case "failed" -> BatchState.FAILED;
      case "expired" -> BatchState.EXPIRED;
      case "cancelled" -> BatchState.CANCELLED;
      default -> throw new MalformedBodyException("unknown batch status '" + status + "'");
    };
  }

  private static BatchItemResult result(String customId, JsonNode line) {
    JsonNode response = line.path("response");
    JsonNode error = line.get("error");
    if (error != null && error.isObject()) {
      return lineError(customId, response, ErrorBody.fromNode(error, "batch_error").orElseThrow());
    }
    int statusCode = response.path("status_code").asInt(0);
    JsonNode body = response.path("body");
    if (statusCode == 200) {
      return BatchLineResults.completed(customId, body, OpenAiWire::parseChat);
    }
    ErrorBody bodyError =
        ErrorBody.fromNode(body.path("error"), "http_" + statusCode)
            .orElse(
                new ErrorBody("http_" + statusCode, "the request failed without an error body"));
    return lineError(customId, response, bodyError);
  }

  private static BatchItemResult lineError(String customId, JsonNode response, ErrorBody error) {
    BatchItemStatus status =
        switch (error.code()) {
          case "batch_expired" -> BatchItemStatus.EXPIRED;
          case "batch_cancelled" -> BatchItemStatus.CANCELLED;
          default -> BatchItemStatus.ERRORED;
        };
    int statusCode = response.path("status_code").asInt(0);
    boolean retriable =
        statusCode > 0
            ? FailureClassifier.classify(statusCode, error.code(), Optional.empty())
                == io.sluice.providers.ProviderException.Kind.RETRIABLE
            : FailureClassifier.isRetriableErrorType(error.code());
    return BatchItemResult.failed(
        customId, status, new ErrorInfo(error.code(), error.message(), retriable), TokenUsage.NONE);
  }

  private static Optional<ErrorBody> firstError(JsonNode batch) {
    JsonNode data = batch.path("errors").path("data");
    if (!data.isArray() || data.isEmpty()) {
      return Optional.empty();
    }
    return ErrorBody.fromNode(data.get(0), "batch_failed");
  }

  private static Instant epochSeconds(JsonNode batch, String field) {
    JsonNode node = batch.get(field);
    return node == null || !node.canConvertToLong() ? null : Instant.ofEpochSecond(node.asLong());
  }
}
