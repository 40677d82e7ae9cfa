package io.sluice.fallback;

import io.sluice.schemas.model.ModelCatalog;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A deployment's fallback chains: for a model name or alias, the models to try after it, in order.
 * Written as {@code model=next,next;model=next} (the value of {@code SLUICE_FALLBACK}), e.g. {@code
 * gpt-4o-mini=claude-haiku-4-5,gemini-2.0-flash;smart=gpt-4o}.
 */
public final class FallbackChains {
  /** The environment variable a deployment's chains are read from. */
  public static final String ENVIRONMENT_VARIABLE = "SLUICE_FALLBACK";

  public static final FallbackChains NONE = new FallbackChains(Map.of());

  private final Map<String, List<String>> chains;

  private FallbackChains(Map<String, List<String>> chains) {
    this.chains = Map.copyOf(chains);
  }

  /**
   * Chains from {@code model → next models}; every name must be in {@code catalog}.
   *
   * @throws IllegalArgumentException naming the unknown model or the chain that names its own model
   */
  public static FallbackChains of(Map<String, List<String>> chains, ModelCatalog catalog) {
    Map<String, List<String>> checked = new LinkedHashMap<>();
    chains.forEach(
        (model, next) -> {
          requireKnown(model, catalog, "the chain of '" + model + "'");
          for (String entry : next) {
            requireKnown(entry, catalog, "an entry of the chain of '" + model + "'");
            if (entry.equals(model)) {
              throw new IllegalArgumentException(
                  ENVIRONMENT_VARIABLE + ": the chain of '" + model + "' names the model itself");
            }
          }
          checked.put(model, List.copyOf(next));
        });
    return new FallbackChains(checked);
  }

  /**
   * Parses {@code model=next,next;model=next}; blank or {@code null} is no chains.
   *
   * @throws IllegalArgumentException naming {@link #ENVIRONMENT_VARIABLE} and the bad part
   */
  public static FallbackChains parse(String spec, ModelCatalog catalog) {
    if (spec == null || spec.isBlank()) {
      return NONE;
    }
    Map<String, List<String>> chains = new LinkedHashMap<>();
    for (String part : spec.split(";")) {
      if (part.isBlank()) {
        continue;
      }
      int equals = part.indexOf('=');
      if (equals <= 0 || equals == part.length() - 1) {
        throw new IllegalArgumentException(
            ENVIRONMENT_VARIABLE + ": '" + part.strip() + "' is not model=next,next");
      }
      String model = part.substring(0, equals).strip();
      List<String> next = new ArrayList<>();
      for (String entry : part.substring(equals + 1).split(",")) {
        if (!entry.isBlank()) {
          next.add(entry.strip());
        }
      }
      if (chains.put(model, next) != null) {
        throw new IllegalArgumentException(
            ENVIRONMENT_VARIABLE + ": the chain of '" + model + "' is given twice");
      }
    }
    return of(chains, catalog);
  }

  /** The models to try after {@code model} (as the job named it), if the deployment set any. */
  public Optional<List<String>> after(String model) {
    return Optional.ofNullable(chains.get(model));
  }

  public boolean isEmpty() {
    return chains.isEmpty();
  }

  private static void requireKnown(String name, ModelCatalog catalog, String what) {
    if (catalog.resolve(name).isEmpty()) {
      throw new IllegalArgumentException(
          ENVIRONMENT_VARIABLE
              + ": "
              + what
              + ", '"
              + name
              + "', is not a known model (known: "
              + String.join(", ", catalog.names().stream().sorted().toList())
              + ")");
    }
  }
}
