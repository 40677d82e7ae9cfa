package io.sluice.providers.anthropic;

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
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/** Anthropic's Message Batches formats: the request entries, the batch object, result lines. */
final class AnthropicBatchWire {
  private AnthropicBatchWire() {}

  /** One request entry: {@code {"custom_id", "params": {...messages request}}}. */
  static ObjectNode entry(BatchRequest request, int defaultMaxTokens) {
    ObjectNode entry = Json.mapper().createObjectNode();
    entry.put("custom_id", request.customId());
    entry.set("params", AnthropicWire.messagesRequest(request.spec(), defaultMaxTokens));
    return entry;
  }

  /** A message batch object as returned by create, retrieve and cancel. */
  static BatchStatus status(JsonNode batch) {
    String id = JsonFields.text(batch, "id");
    String status = JsonFields.text(batch, "processing_status");
    if (id == null || status == null) {
      throw new MalformedBodyException("the message batch has no id or processing_status");
    }
    JsonNode counts = batch.path("request_counts");
    long processing = JsonFields.count(counts, "processing");
    long succeeded = JsonFields.count(counts, "succeeded");
    long errored = JsonFields.count(counts, "errored");
    long canceled = JsonFields.count(counts, "canceled");
    long expired = JsonFields.count(counts, "expired");
    return new BatchStatus(
        id,
        state(status, JsonFields.text(batch, "cancel_initiated_at") != null),
        status,
        new BatchCounts(
            processing + succeeded + errored + canceled + expired,
            processing,
            succeeded,
            errored,
            expired,
            canceled),
        timestamp(batch, "created_at"),
        timestamp(batch, "expires_at"),
        null,
        null);
  }

  /** Every parsable line of a results file. */
  static List<BatchItemResult> results(String jsonl) {
    List<BatchItemResult> results = new ArrayList<>();
    for (JsonNode line : JsonLines.parse(jsonl)) {
      String customId = JsonFields.text(line, "custom_id");
      if (customId != null) {
        results.add(result(customId, line.path("result")));
      }
    }
    return results;
  }

  static BatchState state(String status, boolean cancelRequested) {
    return switch (status) {
      case "in_progress" -> BatchState.IN_PROGRESS;
      case "canceling" -> BatchState.CANCELLING;
      case "ended" -> cancelRequested ? BatchState.CANCELLED : BatchState.COMPLETED;
      default -> throw new MalformedBodyException("unknown processing_status '" + status + "'");
    };
  }

  private static BatchItemResult result(String customId, JsonNode result) {
    String type = result.path("type").asText("");
    return switch (type) {
      case "succeeded" ->
          BatchLineResults.completed(customId, result.path("message"), AnthropicWire::parseMessage);
      case "errored" -> errored(customId, result.path("error"));
      case "canceled" ->
          BatchItemResult.failed(
              customId,
              BatchItemStatus.CANCELLED,
              ErrorInfo.retriable("canceled", "the batch was cancelled before this request ran"),
              TokenUsage.NONE);
      case "expired" ->
          BatchItemResult.failed(
              customId,
              BatchItemStatus.EXPIRED,
              ErrorInfo.retriable("expired", "the batch expired before this request ran"),
              TokenUsage.NONE);
      default ->
          BatchItemResult.failed(
              customId,
              BatchItemStatus.ERRORED,
              ErrorInfo.retriable("malformed_response", "unknown result type '" + type + "'"),
              TokenUsage.NONE);
    };
  }

  private static BatchItemResult errored(String customId, JsonNode error) {
    ErrorBody body =
        ErrorBody.fromNode(error, "errored")
            .orElse(new ErrorBody("errored", "the request failed without an error body"));
    return BatchItemResult.failed(
        customId,
        BatchItemStatus.ERRORED,
        new ErrorInfo(
            body.code(), body.message(), FailureClassifier.isRetriableErrorType(body.code())),
        TokenUsage.NONE);
  }

  private static Instant timestamp(JsonNode batch, String field) {
    String text = JsonFields.text(batch, field);
    if (text == null) {
      return null;
    }
    try {
      return OffsetDateTime.parse(text).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
