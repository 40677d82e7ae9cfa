package io.sluice.schemas.model;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.schemas.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The registered providers, read once from {@code io/sluice/schemas/model/providers/}: {@code
 * index.json} lists the names in order, {@code <name>.json} holds each {@link
 * ProviderRegistration}. Adding a provider is a new file and a line in the index (plus its adapter
 * in the {@code providers} module and its wire format in the simulator).
 */
public final class ProviderRegistry {
  private static final String DIRECTORY = "/io/sluice/schemas/model/providers/";
  private static final List<ProviderRegistration> ALL = load();

  private ProviderRegistry() {}

  /** Every registered provider, in the index's order. */
  public static List<ProviderRegistration> all() {
    return ALL;
  }

  /** The registration of a provider name, if there is one. */
  public static Optional<ProviderRegistration> named(String name) {
    return ALL.stream().filter(r -> r.name().equals(name)).findFirst();
  }

  private static List<ProviderRegistration> load() {
    List<ProviderRegistration> registrations = new ArrayList<>();
    for (JsonNode name : read("index.json").path("providers")) {
      registrations.add(parse(read(name.asText() + ".json")));
    }
    return List.copyOf(registrations);
  }

  private static JsonNode read(String file) {
    try (InputStream in = ProviderRegistry.class.getResourceAsStream(DIRECTORY + file)) {
      if (in == null) {
        throw new IllegalStateException(DIRECTORY + file + " is missing from the classpath");
      }
      return Json.mapper().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + DIRECTORY + file, e);
    }
  }

  static ProviderRegistration parse(JsonNode node) {
    List<CatalogModel> models = new ArrayList<>();
    for (JsonNode model : node.path("models")) {
      models.add(
          new CatalogModel(
              model.path("name").asText(null),
              decimal(model, "input_per_million"),
              decimal(model, "output_per_million"),
              decimal(model, "batch_input_per_million"),
              decimal(model, "batch_output_per_million")));
    }
    Map<String, String> aliases = new LinkedHashMap<>();
    node.path("aliases").properties().forEach(e -> aliases.put(e.getKey(), e.getValue().asText()));
    return new ProviderRegistration(
        node.path("name").asText(null),
        node.hasNonNull("base_url") ? URI.create(node.path("base_url").asText()) : null,
        node.path("auth_header").asText(null),
        constant(RateLimitHeaderDialect.class, node.path("rate_limit_headers").asText("")),
        constant(LimitStyle.class, node.path("limit_style").asText("")),
        node.path("batch").asBoolean(false),
        models,
        aliases);
  }

  private static BigDecimal decimal(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : new BigDecimal(value.asText());
  }

  private static <E extends Enum<E>> E constant(Class<E> type, String text) {
    return text.isBlank() ? null : Enum.valueOf(type, text.toUpperCase(Locale.ROOT));
  }
}
