package io.sluice.simulator.internal.answer;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Deterministic values that satisfy a JSON schema: objects with every property, strings within
 * their length bounds, numbers within their bounds, arrays of {@code minItems} (at least one)
 * items, the first {@code enum} value, {@code const}, the first branch of {@code anyOf}/{@code
 * oneOf}, {@code allOf} merged, and local {@code $ref}s ({@code #/$defs/...}, {@code
 * #/definitions/...}).
 */
final class SchemaValues {
  private static final int MAX_DEPTH = 12;

  private final JsonNode root;
  private final SplittableRandom random;

  private SchemaValues(JsonNode root, long seed) {
    this.root = root;
    this.random = new SplittableRandom(seed);
  }

  static Object generate(JsonNode schema, long seed) {
    return new SchemaValues(schema, seed).value(schema, "value", 0);
  }

  private Object value(JsonNode schema, String name, int depth) {
    JsonNode resolved = resolve(schema);
    if (resolved.has("const")) {
      return resolved.get("const");
    }
    if (resolved.has("enum") && resolved.get("enum").size() > 0) {
      return resolved.get("enum").get(0);
    }
    for (String branch : List.of("anyOf", "oneOf")) {
      if (resolved.path(branch).size() > 0) {
        return value(firstNonNull(resolved.get(branch)), name, depth + 1);
      }
    }
    if (resolved.path("allOf").size() > 0) {
      return value(resolved.get("allOf").get(0), name, depth + 1);
    }
    return switch (typeOf(resolved)) {
      case "object" -> depth > MAX_DEPTH ? Map.of() : object(resolved, depth);
      case "array" -> depth > MAX_DEPTH ? List.of() : array(resolved, name, depth);
      case "integer" -> integer(resolved);
      case "number" -> number(resolved);
      case "boolean" -> random.nextBoolean();
      case "null" -> null;
      default -> string(resolved, name);
    };
  }

  private JsonNode resolve(JsonNode schema) {
    JsonNode current = schema;
    for (int hops = 0; current.has("$ref") && hops < MAX_DEPTH; hops++) {
      String ref = current.get("$ref").asText();
      JsonNode target = ref.startsWith("#") ? root.at(ref.substring(1)) : null;
      if (target == null || target.isMissingNode()) {
        return current;
      }
      current = target;
    }
    return current;
  }

  private static JsonNode firstNonNull(JsonNode branches) {
    for (JsonNode branch : branches) {
      if (!"null".equals(branch.path("type").asText())) {
        return branch;
      }
    }
    return branches.get(0);
  }

  private static String typeOf(JsonNode schema) {
    JsonNode type = schema.get("type");
    if (type == null) {
      return schema.has("properties") ? "object" : schema.has("items") ? "array" : "string";
    }
    if (type.isArray()) {
      for (JsonNode option : type) {
        if (!"null".equals(option.asText())) {
          return option.asText();
        }
      }
      return "null";
    }
    return type.asText();
  }

  private Map<String, Object> object(JsonNode schema, int depth) {
    Map<String, Object> out = new LinkedHashMap<>();
    schema
        .path("properties")
        .properties()
        .forEach(e -> out.put(e.getKey(), value(e.getValue(), e.getKey(), depth + 1)));
    return out;
  }

  private List<Object> array(JsonNode schema, String name, int depth) {
    int min = schema.path("minItems").asInt(1);
    int max = schema.path("maxItems").asInt(Math.max(min, 2));
    int count = Math.max(min, Math.min(max, 1 + random.nextInt(2)));
    List<Object> out = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      out.add(value(schema.path("items"), name, depth + 1));
    }
    return out;
  }

  private long integer(JsonNode schema) {
    long min = (long) Math.ceil(lowerBound(schema, 0));
    long max = (long) Math.floor(upperBound(schema, min + 100));
    return max <= min ? min : min + random.nextLong(max - min + 1);
  }

  private double number(JsonNode schema) {
    double min = lowerBound(schema, 0);
    double max = upperBound(schema, min + 100);
    double value =
        max <= min ? min : min + Math.floor(random.nextDouble() * (max - min) * 100) / 100;
    return Math.min(max, value);
  }

  private static double lowerBound(JsonNode schema, double fallback) {
    if (schema.has("minimum")) {
      return schema.get("minimum").asDouble();
    }
    if (schema.has("exclusiveMinimum") && schema.get("exclusiveMinimum").isNumber()) {
      return schema.get("exclusiveMinimum").asDouble() + 1;
    }
    return schema.has("maximum") ? Math.min(fallback, schema.get("maximum").asDouble()) : fallback;
  }

  private static double upperBound(JsonNode schema, double fallback) {
    if (schema.has("maximum")) {
      return schema.get("maximum").asDouble();
    }
    if (schema.has("exclusiveMaximum") && schema.get("exclusiveMaximum").isNumber()) {
      return schema.get("exclusiveMaximum").asDouble() - 1;
    }
    return fallback;
  }

  private String string(JsonNode schema, String name) {
    String format = schema.path("format").asText("");
    String text =
        switch (format) {
          case "date" -> "2026-01-0" + (1 + random.nextInt(9));
          case "date-time" -> "2026-01-0" + (1 + random.nextInt(9)) + "T12:00:00Z";
          case "email" -> name.toLowerCase(java.util.Locale.ROOT) + "@example.com";
          case "uri" -> "https://example.com/" + name;
          case "uuid" -> new java.util.UUID(random.nextLong(), random.nextLong()).toString();
          default -> name + "-" + Integer.toHexString(random.nextInt(0x10000));
        };
    int min = schema.path("minLength").asInt(0);
    int max = schema.path("maxLength").asInt(Integer.MAX_VALUE);
    StringBuilder padded = new StringBuilder(text);
    while (padded.length() < min) {
      padded.append('x');
    }
    return padded.length() > max ? padded.substring(0, max) : padded.toString();
  }
}
