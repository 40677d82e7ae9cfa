package io.sluice.launcher.batch;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the CLI reads from a batch object: OpenAI's fields, plus Sluice's extras (under {@code
 * sluice}) when the server sends them.
 */
record BatchSnapshot(
    String id,
    String status,
    long total,
    long completed,
    long failed,
    Optional<BigDecimal> costUsd,
    Optional<String> outputFileId,
    Optional<String> errorFileId,
    List<String> errors) {

  private static final Set<String> ENDED = Set.of("completed", "failed", "expired", "cancelled");

  static BatchSnapshot of(JsonNode batch) {
    JsonNode counts = batch.path("request_counts");
    JsonNode cost = batch.path("sluice").path("cost_usd");
    return new BatchSnapshot(
        batch.path("id").asText(),
        batch.path("status").asText(),
        counts.path("total").asLong(),
        counts.path("completed").asLong(),
        counts.path("failed").asLong(),
        cost.isNumber() || cost.isTextual()
            ? Optional.of(new BigDecimal(cost.asText()))
            : Optional.empty(),
        text(batch.path("output_file_id")),
        text(batch.path("error_file_id")),
        errors(batch.path("errors").path("data")));
  }

  /** A failed batch's line errors, as {@code line 4: duplicate_custom_id: message}. */
  private static List<String> errors(JsonNode data) {
    List<String> errors = new ArrayList<>();
    for (JsonNode error : data) {
      String where =
          error.path("line").isNumber() ? "line " + error.path("line").asInt() + ": " : "";
      errors.add(where + error.path("code").asText() + ": " + error.path("message").asText());
    }
    return List.copyOf(errors);
  }

  long done() {
    return completed + failed;
  }

  boolean ended() {
    return ENDED.contains(status);
  }

  private static Optional<String> text(JsonNode node) {
    return node.isTextual() && !node.asText().isEmpty()
        ? Optional.of(node.asText())
        : Optional.empty();
  }
}
