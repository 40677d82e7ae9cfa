package io.sluice.launcher.batch;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.launcher.client.SluiceClient.ApiException;
import io.sluice.schemas.json.Json;

/** The API's refusal as one line: its own message (and field or line) rather than raw JSON. */
final class BatchErrors {
  private static final int MAX_FIELDS = 5;

  private BatchErrors() {}

  static String describe(ApiException e) {
    String body = e.body();
    try {
      JsonNode error = Json.mapper().readTree(body).path("error");
      if (error.path("message").isTextual()) {
        StringBuilder line =
            new StringBuilder("HTTP ")
                .append(e.status())
                .append(": ")
                .append(error.path("message").asText());
        if (error.path("param").isTextual()) {
          line.append(" (").append(error.path("param").asText()).append(')');
        }
        int shown = 0;
        for (JsonNode field : error.path("fields")) {
          if (shown++ == MAX_FIELDS) {
            line.append("; ...");
            break;
          }
          line.append("; ")
              .append(field.path("field").asText())
              .append(": ")
              .append(field.path("message").asText());
        }
        return line.toString();
      }
    } catch (java.io.IOException | RuntimeException ignored) {
      // not JSON: the raw body says it best
    }
    return "HTTP " + e.status() + (body.isBlank() ? "" : ": " + body);
  }
}
