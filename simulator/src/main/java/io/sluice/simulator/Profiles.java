package io.sluice.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.schemas.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The built-in rate-limit profiles, read from {@code io/sluice/simulator/profiles.json}: {@code
 * unlimited}, {@code openai-tier1}, {@code anthropic-tier1}, {@code gemini-tier1}, {@code tier1}
 * (all three) and {@code large}.
 */
public final class Profiles {
  private static final String RESOURCE = "/io/sluice/simulator/profiles.json";
  private static final Map<String, Profile> BUILT_IN = load();

  private Profiles() {}

  /** The built-in profile of that name. */
  public static Profile named(String name) {
    Profile profile = BUILT_IN.get(name);
    if (profile == null) {
      throw new IllegalArgumentException(
          "unknown simulator profile '" + name + "'; known: " + BUILT_IN.keySet());
    }
    return profile;
  }

  /** The names of the built-in profiles. */
  public static Set<String> names() {
    return BUILT_IN.keySet();
  }

  private static Map<String, Profile> load() {
    try (InputStream in = Profiles.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the classpath");
      }
      Map<String, Profile> profiles = new LinkedHashMap<>();
      for (JsonNode node : Json.mapper().readTree(in).path("profiles")) {
        Profile profile = parseProfile(node);
        profiles.put(profile.name(), profile);
      }
      return java.util.Collections.unmodifiableMap(profiles);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }

  private static Profile parseProfile(JsonNode node) {
    Map<String, ModelLimits> models = new LinkedHashMap<>();
    node.path("models")
        .properties()
        .forEach(e -> models.put(e.getKey(), parseLimits(e.getValue())));
    return new Profile(
        node.path("name").asText(),
        models,
        parseLimits(node.path("defaults")),
        parseBatchLimits(node.path("batch_limits")));
  }

  /**
   * Reads {@code enqueued_tokens} (per model), {@code default_enqueued_tokens}, {@code
   * batch_creations_per_hour} and {@code queued_requests}; a missing value is unlimited.
   */
  static BatchQueueLimits parseBatchLimits(JsonNode node) {
    Map<String, Long> tokens = new LinkedHashMap<>();
    node.path("enqueued_tokens")
        .properties()
        .forEach(e -> tokens.put(e.getKey(), e.getValue().asLong()));
    return new BatchQueueLimits(
        tokens,
        node.path("default_enqueued_tokens").asLong(BatchQueueLimits.UNLIMITED),
        node.path("batch_creations_per_hour").asLong(BatchQueueLimits.UNLIMITED),
        node.path("queued_requests").asLong(BatchQueueLimits.UNLIMITED));
  }

  /**
   * Reads {@code requests_per_minute}, {@code tokens_per_minute}, {@code input_tokens_per_minute},
   * {@code output_tokens_per_minute}; the input/output limits default to the token limit and the
   * token limit to input + output.
   */
  static ModelLimits parseLimits(JsonNode node) {
    long rpm = node.path("requests_per_minute").asLong(ModelLimits.MAX);
    long itpm = node.path("input_tokens_per_minute").asLong(0);
    long otpm = node.path("output_tokens_per_minute").asLong(0);
    long tpm =
        node.path("tokens_per_minute")
            .asLong(
                itpm > 0 && otpm > 0 ? Math.min(ModelLimits.MAX, itpm + otpm) : ModelLimits.MAX);
    return new ModelLimits(rpm, tpm, itpm > 0 ? itpm : tpm, otpm > 0 ? otpm : tpm);
  }
}
