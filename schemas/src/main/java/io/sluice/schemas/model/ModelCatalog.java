package io.sluice.schemas.model;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The models Sluice accepts and the provider each one goes to. job-api uses it to refuse unknown
 * models with a 400, the dispatcher to route tasks. Names are matched exactly.
 */
public final class ModelCatalog {
  private final Map<String, ModelRoute> routes;

  private ModelCatalog(Map<String, ModelRoute> routes) {
    this.routes = Map.copyOf(routes);
  }

  /** The route of a model name or alias, if it is known. */
  public Optional<ModelRoute> resolve(String nameOrAlias) {
    return Optional.ofNullable(nameOrAlias).map(routes::get);
  }

  /** Every accepted name, models and aliases. */
  public Set<String> names() {
    return routes.keySet();
  }

  /** The providers some model routes to. */
  public Set<String> providers() {
    return Set.copyOf(routes.values().stream().map(ModelRoute::provider).toList());
  }

  /**
   * The default catalogue: the models and aliases of every {@linkplain ProviderRegistry registered
   * provider} (OpenAI, Anthropic, Gemini; aliases such as {@code fast}, {@code smart}, {@code
   * gemini-flash}). Deployments replace it from configuration.
   */
  public static ModelCatalog defaults() {
    return of(ProviderRegistry.all());
  }

  /** The catalogue of these providers' registered models and aliases. */
  public static ModelCatalog of(List<ProviderRegistration> registrations) {
    Builder builder = builder();
    for (ProviderRegistration registration : registrations) {
      registration.models().forEach(m -> builder.model(m.name(), registration.name()));
    }
    for (ProviderRegistration registration : registrations) {
      registration.aliases().forEach(builder::alias);
    }
    return builder.build();
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Collects models and aliases; an alias must name a model added before it. */
  public static final class Builder {
    private final Map<String, ModelRoute> routes = new LinkedHashMap<>();

    public Builder model(String name, String provider) {
      return add(new ModelRoute(name, provider, name));
    }

    public Builder alias(String alias, String model) {
      ModelRoute target = routes.get(model);
      if (target == null) {
        throw new IllegalArgumentException(
            "alias '" + alias + "' names model '" + model + "', which is not configured");
      }
      return add(new ModelRoute(alias, target.provider(), target.providerModel()));
    }

    private Builder add(ModelRoute route) {
      if (route.name() == null || route.name().isBlank()) {
        throw new IllegalArgumentException("a model name must not be blank");
      }
      if (routes.putIfAbsent(route.name(), route) != null) {
        throw new IllegalArgumentException("model '" + route.name() + "' is configured twice");
      }
      return this;
    }

    public ModelCatalog build() {
      return new ModelCatalog(routes);
    }
  }
}
