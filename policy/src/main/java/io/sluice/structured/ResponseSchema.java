package io.sluice.structured;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaException;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A client's {@code response_schema}, checked and compiled with networknt's JSON Schema validator:
 * draft 2020-12 unless its {@code $schema} names another draft (4, 6, 7, 2019-09). The schema must
 * satisfy its draft's meta-schema, every {@code $ref} must resolve within it (nothing is fetched
 * from the network: a remote {@code $ref} is an error), and every {@code pattern} must compile.
 * {@code pattern} uses {@link java.util.regex}. Immutable and thread-safe.
 */
public final class ResponseSchema {
  /** The deepest nesting of objects and arrays a schema may have. */
  public static final int MAX_DEPTH = 64;

  private static final SchemaRegistry REGISTRY =
      SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
  private static final Map<SpecificationVersion, Schema> META_SCHEMAS =
      Arrays.stream(SpecificationVersion.values())
          .collect(
              Collectors.toUnmodifiableMap(
                  version -> version,
                  version -> REGISTRY.getSchema(SchemaLocation.of(version.getDialectId()))));

  private final Schema schema;

  private ResponseSchema(Schema schema) {
    this.schema = schema;
  }

  /**
   * The compiled schema.
   *
   * @throws InvalidResponseSchemaException naming what is wrong with it
   */
  public static ResponseSchema compile(JsonNode schema) {
    Optional<String> problem = problemWith(schema);
    if (problem.isPresent()) {
      throw new InvalidResponseSchemaException(problem.get());
    }
    return new ResponseSchema(load(schema));
  }

  /** What is wrong with {@code schema} as a response schema, or empty when it is usable. */
  public static Optional<String> problemWith(JsonNode schema) {
    if (schema == null || !schema.isObject()) {
      return Optional.of("must be a JSON Schema object");
    }
    if (depthOf(schema) > MAX_DEPTH) {
      return Optional.of("is nested deeper than " + MAX_DEPTH + " levels");
    }
    Optional<SpecificationVersion> version = versionOf(schema);
    if (version.isEmpty()) {
      return Optional.of(
          "$schema '"
              + schema.get("$schema").asText()
              + "' is not a supported draft; supported: "
              + Arrays.stream(SpecificationVersion.values())
                  .map(SpecificationVersion::getDialectId)
                  .toList());
    }
    List<Error> errors = META_SCHEMAS.get(version.get()).validate(schema);
    if (!errors.isEmpty()) {
      return Optional.of(
          "is not a valid JSON Schema: " + Violations.of(describe(errors)).summary());
    }
    try {
      load(schema);
      return Optional.empty();
    } catch (RuntimeException e) { // the validator's own exceptions, and what it lets through
      return Optional.of("cannot be used: " + causeOf(e));
    }
  }

  /** What in {@code instance} does not satisfy the schema; empty when it does. */
  public Violations violations(JsonNode instance) {
    try {
      return Violations.of(describe(schema.validate(instance)));
    } catch (SchemaException e) {
      throw new InvalidResponseSchemaException("cannot be used: " + causeOf(e));
    }
  }

  private static Schema load(JsonNode schema) {
    Schema loaded = REGISTRY.getSchema(schema);
    loaded.initializeValidators();
    return loaded;
  }

  /**
   * The draft {@code $schema} names (with or without the empty fragment {@code #}), 2020-12 when it
   * names none; empty for an unknown one.
   */
  private static Optional<SpecificationVersion> versionOf(JsonNode schema) {
    JsonNode declared = schema.get("$schema");
    if (declared == null) {
      return Optional.of(SpecificationVersion.DRAFT_2020_12);
    }
    if (!declared.isTextual()) {
      return Optional.empty();
    }
    String id = declared.textValue();
    String other = id.endsWith("#") ? id.substring(0, id.length() - 1) : id + "#";
    return SpecificationVersion.fromDialectId(id)
        .or(() -> SpecificationVersion.fromDialectId(other));
  }

  private static List<String> describe(List<Error> errors) {
    return errors.stream().map(ResponseSchema::describe).toList();
  }

  // The location in the instance and the keyword's message; never the instance's values.
  private static String describe(Error error) {
    String where =
        error.getInstanceLocation() == null ? "" : error.getInstanceLocation().toString();
    String message = error.getMessage() == null ? error.getKeyword() : error.getMessage();
    String prefix = where + ": ";
    if (message.startsWith(prefix)) {
      message = message.substring(prefix.length());
    }
    return (where.isEmpty() || where.equals("$") ? "(root)" : where) + ": " + message;
  }

  private static String causeOf(RuntimeException e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message =
        root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    return Violations.bound(message.lines().findFirst().orElse(message));
  }

  /** The deepest nesting of containers in {@code node}, counted without recursion. */
  private static int depthOf(JsonNode node) {
    record Level(JsonNode node, int depth) {}
    Deque<Level> pending = new ArrayDeque<>();
    pending.push(new Level(node, 1));
    int deepest = 0;
    while (!pending.isEmpty()) {
      Level level = pending.pop();
      deepest = Math.max(deepest, level.depth());
      if (level.depth() > MAX_DEPTH) {
        return level.depth();
      }
      for (JsonNode child : level.node()) {
        if (child.isContainerNode()) {
          pending.push(new Level(child, level.depth() + 1));
        }
      }
    }
    return deepest;
  }
}
