package io.sluice.schemas.model;

/**
 * Where calls to a model go.
 *
 * @param name the name clients use (a model name or an alias)
 * @param provider the provider that serves it, e.g. {@code openai}
 * @param providerModel the model name the provider knows it by
 */
public record ModelRoute(String name, String provider, String providerModel) {}
