package io.sluice.providers;

/**
 * A provider API key. It never shows in {@link #toString()}, logs or exception messages: only the
 * adapters read it, to put it in a request header, and they {@linkplain #redact(String) redact} it
 * from any text that comes back from the provider.
 */
public final class ApiKey {
  private static final String REDACTED = "[redacted]";
  private final String value;

  private ApiKey(String value) {
    this.value = value;
  }

  /**
   * @param value the key as the provider issued it
   * @throws IllegalArgumentException when it is null or blank
   */
  public static ApiKey of(String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException("an API key must not be blank");
    }
    return new ApiKey(value.strip());
  }

  /** The key itself, for the request header. Never log it. */
  public String reveal() {
    return value;
  }

  /** The text with every occurrence of this key replaced by {@code [redacted]}. */
  public String redact(String text) {
    return text == null ? null : text.replace(value, REDACTED);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ApiKey key && key.value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }

  @Override
  public String toString() {
    return "ApiKey" + REDACTED;
  }
}
