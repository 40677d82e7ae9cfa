package io.sluice.schemas.model;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything Sluice knows about one provider, registered in one place: the resource {@code
 * io/sluice/schemas/model/providers/<name>.json}, listed in {@code providers/index.json}. The
 * catalogue ({@link ModelCatalog#defaults()}), the price table and the provider adapters read it;
 * modules that cannot see the adapters read it from here.
 *
 * @param name the provider's name in topics, configuration and the catalogue, e.g. {@code gemini}
 * @param defaultBaseUrl the public API root
 * @param authHeader the request header that carries the API key ({@code Authorization} means a
 *     bearer token)
 * @param rateLimitHeaders which rate-limit headers its responses carry
 * @param limitStyle which rate-limit buckets it enforces
 * @param batch whether Sluice has a batch adapter for it (its deferred lane)
 * @param models the models it serves, with list prices, in catalogue order
 * @param aliases alias → one of {@code models}
 */
public record ProviderRegistration(
    String name,
    URI defaultBaseUrl,
    String authHeader,
    RateLimitHeaderDialect rateLimitHeaders,
    LimitStyle limitStyle,
    boolean batch,
    List<CatalogModel> models,
    Map<String, String> aliases) {

  public ProviderRegistration {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("a provider registration needs a name");
    }
    Objects.requireNonNull(defaultBaseUrl, "provider '" + name + "' needs base_url");
    Objects.requireNonNull(authHeader, "provider '" + name + "' needs auth_header");
    Objects.requireNonNull(rateLimitHeaders, "provider '" + name + "' needs rate_limit_headers");
    Objects.requireNonNull(limitStyle, "provider '" + name + "' needs limit_style");
    models = List.copyOf(models);
    aliases = Map.copyOf(aliases);
  }
}
