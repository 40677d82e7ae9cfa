package io.sluice.simulator.internal.answer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.sluice.schemas.json.Json;

/**
 * Deterministic JSON that is valid JSON but violates a schema ({@code #sim invalid-output}): the
 * valid value without its first required property when the schema (or its local root {@code $ref})
 * is an object with {@code required}; otherwise a value of another type when it names a {@code
 * type} (a string, or {@code 0} for a string schema); otherwise a string outside its {@code enum}
 * or {@code const}. A schema that accepts anything cannot be violated: its valid value.
 */
final class SchemaViolation {
  static final String WRONG = "not what the schema asks for";

  private SchemaViolation() {}

  static JsonNode generate(JsonNode schema, long seed) {
    JsonNode valid = Json.mapper().valueToTree(SchemaValues.generate(schema, seed));
    JsonNode root = resolveRoot(schema);
    JsonNode required = root.path("required");
    if (valid instanceof ObjectNode object && required.isArray() && !required.isEmpty()) {
      ObjectNode broken = object.deepCopy();
      broken.remove(required.get(0).asText());
      return broken;
    }
    if (root.has("type") || root.has("properties") || root.has("items")) {
      return valid.isTextual() ? IntNode.valueOf(0) : TextNode.valueOf(WRONG);
    }
    if (root.has("enum") || root.has("const")) {
      return TextNode.valueOf(WRONG);
    }
    return valid;
  }

  private static JsonNode resolveRoot(JsonNode schema) {
    JsonNode ref = schema.path("$ref");
    if (!ref.isTextual() || !ref.textValue().startsWith("#")) {
      return schema;
    }
    JsonNode target = schema.at(ref.textValue().substring(1));
    return target.isMissingNode() ? schema : target;
  }
}
