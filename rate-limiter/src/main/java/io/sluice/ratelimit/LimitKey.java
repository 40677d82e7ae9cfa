package io.sluice.ratelimit;

import java.util.Objects;

/**
 * Whose limit: a provider account and a model (or a model family the provider limits together).
 * Every worker instance that uses the same key shares one limit.
 *
 * @param provider the provider, e.g. {@code openai}
 * @param account the account (API key or organisation) as configured, e.g. {@code default}
 * @param model the model name the provider limits, e.g. {@code gpt-4o-mini}
 */
public record LimitKey(String provider, String account, String model) {

  public LimitKey {
    requireName("provider", provider);
    requireName("account", account);
    requireName("model", model);
  }

  /** The key as one string, {@code provider/account/model}: the row key in shared stores. */
  public String asString() {
    return provider + "/" + account + "/" + model;
  }

  /**
   * The key of {@link #asString()}.
   *
   * @throws IllegalArgumentException when the text is not {@code provider/account/model}
   */
  public static LimitKey parse(String text) {
    String[] parts = text == null ? new String[0] : text.split("/", -1);
    if (parts.length != 3) {
      throw new IllegalArgumentException("not a limit key provider/account/model: '" + text + "'");
    }
    return new LimitKey(parts[0], parts[1], parts[2]);
  }

  @Override
  public String toString() {
    return asString();
  }

  private static void requireName(String what, String value) {
    Objects.requireNonNull(value, what);
    if (value.isBlank() || value.contains("/")) {
      throw new IllegalArgumentException(what + " must be non-blank without '/': '" + value + "'");
    }
  }
}
