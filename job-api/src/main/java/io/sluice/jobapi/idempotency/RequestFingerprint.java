package io.sluice.jobapi.idempotency;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.schemas.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.TreeMap;

/**
 * The SHA-256 of a request's canonical form: the normalized request (defaults applied) as JSON with
 * object keys sorted, so whitespace, key order and spelled-out defaults do not make two requests
 * differ.
 */
public final class RequestFingerprint {
  private static final ObjectMapper MAPPER = Json.mapper();

  private RequestFingerprint() {}

  /** The fingerprint of a normalized request: any value Jackson writes as a JSON object. */
  public static String of(Object request) {
    JsonNode canonical = sorted(MAPPER.valueToTree(request));
    try {
      return sha256(MAPPER.writeValueAsString(canonical));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a job request as JSON", e);
    }
  }

  private static JsonNode sorted(JsonNode node) {
    if (node.isObject()) {
      TreeMap<String, JsonNode> fields = new TreeMap<>();
      node.properties().forEach(e -> fields.put(e.getKey(), sorted(e.getValue())));
      ObjectNode result = JsonNodeFactory.instance.objectNode();
      fields.forEach(result::set);
      return result;
    }
    if (node.isArray()) {
      var result = JsonNodeFactory.instance.arrayNode();
      node.forEach(element -> result.add(sorted(element)));
      return result;
    }
    return node;
  }

  private static String sha256(String text) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
