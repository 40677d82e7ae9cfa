package io.sluice.jobapi.tenant;

/**
 * A newly issued key: the only time its plaintext is available.
 *
 * @param plaintext the key to hand to the client (send as {@code Authorization: Bearer <key>})
 * @param info what is stored about it
 */
public record IssuedApiKey(String plaintext, ApiKeyInfo info) {
  @Override
  public String toString() {
    return "IssuedApiKey[" + info + "]";
  }
}
