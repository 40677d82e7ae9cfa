package io.sluice.providers.internal;

import com.fasterxml.jackson.databind.JsonNode;

/** Small readers for provider JSON that name what is missing. */
public final class JsonFields {
  private JsonFields() {}

  /** A required object or array field. */
  public static JsonNode required(JsonNode parent, String field) {
    JsonNode node = parent == null ? null : parent.get(field);
    if (node == null || node.isNull() || node.isMissingNode()) {
      throw new MalformedBodyException("the response has no '" + field + "'");
    }
    return node;
  }

  /** A text field, or {@code null} when absent or JSON null. */
  public static String text(JsonNode parent, String field) {
    JsonNode node = parent == null ? null : parent.get(field);
    return node == null || node.isNull() ? null : node.asText();
  }

  /** A non-negative integer field, or 0 when absent. */
  public static long count(JsonNode parent, String field) {
    JsonNode node = parent == null ? null : parent.get(field);
    if (node == null || node.isNull()) {
      return 0;
    }
    if (!node.canConvertToLong() || node.asLong() < 0) {
      throw new MalformedBodyException("'" + field + "' is not a token count");
    }
    return node.asLong();
  }
}
