package io.sluice.jobapi.webhook;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.jobapi.job.FieldError;
import io.sluice.jobapi.job.WebhookUrlCheck;
import io.sluice.schemas.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Reads and validates the bodies of {@code POST} and {@code PATCH /v1/webhook-endpoints}, naming
 * every bad field. The URL is checked by the {@link WebhookUrlCheck} (the egress rules) here, at
 * registration, and again at every delivery.
 */
public final class EndpointRequestParser {
  static final int MAX_URL_LENGTH = 2048;
  static final int MAX_DESCRIPTION_LENGTH = 500;
  private static final Set<String> CREATE_FIELDS = Set.of("url", "event_types", "description");
  private static final Set<String> UPDATE_FIELDS =
      Set.of("url", "event_types", "description", "enabled");
  private static final ObjectMapper STRICT =
      Json.newMapper()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private final WebhookUrlCheck urls;

  public EndpointRequestParser(WebhookUrlCheck urls) {
    this.urls = urls;
  }

  /** A create body: {@code url} required, every event type when {@code event_types} is absent. */
  public EndpointRequest parseCreate(byte[] body) {
    JsonNode root = readObject(body);
    List<FieldError> problems = new ArrayList<>();
    unknownFields(root, CREATE_FIELDS, problems);
    String url = readUrl(root.get("url"), true, problems);
    List<EventType> types = readEventTypes(root.get("event_types"), problems);
    String description = readDescription(root.get("description"), problems);
    throwIfAny(problems);
    return new EndpointRequest(
        url,
        types == null ? List.of(EventType.values()) : types,
        description == null ? "" : description,
        null);
  }

  /** An update body: every field optional. */
  public EndpointRequest parseUpdate(byte[] body) {
    JsonNode root = readObject(body);
    List<FieldError> problems = new ArrayList<>();
    unknownFields(root, UPDATE_FIELDS, problems);
    String url = readUrl(root.get("url"), false, problems);
    List<EventType> types = readEventTypes(root.get("event_types"), problems);
    String description = readDescription(root.get("description"), problems);
    Boolean enabled = readEnabled(root.get("enabled"), problems);
    throwIfAny(problems);
    return new EndpointRequest(url, types, description, enabled);
  }

  private static JsonNode readObject(byte[] body) {
    if (body == null || body.length == 0) {
      throw InvalidWebhookRequestException.of(
          "body", "the request body is empty; send a JSON object");
    }
    try {
      JsonNode root = STRICT.readTree(body);
      if (root == null || !root.isObject()) {
        throw InvalidWebhookRequestException.of("body", "the request body must be a JSON object");
      }
      return root;
    } catch (IOException e) {
      throw InvalidWebhookRequestException.of("body", "the request body is not valid JSON");
    }
  }

  private static void unknownFields(JsonNode root, Set<String> known, List<FieldError> problems) {
    root.fieldNames()
        .forEachRemaining(
            name -> {
              if (!known.contains(name)) {
                problems.add(
                    new FieldError(
                        name, "unknown field; allowed fields are " + new TreeSet<>(known)));
              }
            });
  }

  private String readUrl(JsonNode node, boolean required, List<FieldError> problems) {
    if (node == null || node.isNull()) {
      if (required) {
        problems.add(new FieldError("url", "is required: an absolute https URL"));
      }
      return null;
    }
    if (!node.isTextual()) {
      problems.add(new FieldError("url", "must be a string"));
      return null;
    }
    Optional<String> refusal = refusal(node.textValue());
    refusal.ifPresent(reason -> problems.add(new FieldError("url", reason)));
    return refusal.isPresent() ? null : node.textValue();
  }

  private Optional<String> refusal(String text) {
    if (text.length() > MAX_URL_LENGTH) {
      return Optional.of("must be at most " + MAX_URL_LENGTH + " characters");
    }
    URI url;
    try {
      url = new URI(text);
    } catch (URISyntaxException e) {
      return Optional.of("is not a URL: " + e.getReason());
    }
    if (!url.isAbsolute() || url.getHost() == null) {
      return Optional.of("must be an absolute URL with a host, e.g. https://example.com/hook");
    }
    return urls.refusal(url);
  }

  private static List<EventType> readEventTypes(JsonNode node, List<FieldError> problems) {
    if (node == null || node.isNull()) {
      return null;
    }
    String expected = "must be a non-empty array of event types: " + EventType.wireNames();
    if (!node.isArray() || node.isEmpty()) {
      problems.add(new FieldError("event_types", expected));
      return null;
    }
    Set<EventType> types = new LinkedHashSet<>();
    for (int i = 0; i < node.size(); i++) {
      JsonNode element = node.get(i);
      Optional<EventType> type =
          element.isTextual() ? EventType.fromWire(element.textValue()) : Optional.empty();
      if (type.isEmpty()) {
        problems.add(
            new FieldError("event_types[" + i + "]", "must be one of " + EventType.wireNames()));
      } else {
        types.add(type.get());
      }
    }
    return List.copyOf(types);
  }

  private static String readDescription(JsonNode node, List<FieldError> problems) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isTextual() || node.textValue().length() > MAX_DESCRIPTION_LENGTH) {
      problems.add(
          new FieldError(
              "description", "must be a string of at most " + MAX_DESCRIPTION_LENGTH + " chars"));
      return null;
    }
    return node.textValue();
  }

  private static Boolean readEnabled(JsonNode node, List<FieldError> problems) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isBoolean()) {
      problems.add(new FieldError("enabled", "must be true or false"));
      return null;
    }
    return node.booleanValue();
  }

  private static void throwIfAny(List<FieldError> problems) {
    if (!problems.isEmpty()) {
      throw new InvalidWebhookRequestException(problems);
    }
  }
}
