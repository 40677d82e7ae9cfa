package io.sluice.jobapi.idempotency;

/**
 * A client's {@code Idempotency-Key}: 1 to 255 printable ASCII characters, scoped to its tenant.
 * Anything else throws {@link InvalidIdempotencyKeyException} (HTTP 400).
 *
 * @param value the key as the client sent it
 */
public record IdempotencyKey(String value) {
  public static final String HEADER = "Idempotency-Key";
  public static final int MAX_LENGTH = 255;

  public IdempotencyKey {
    String problem = problemWith(value);
    if (problem != null) {
      throw new InvalidIdempotencyKeyException(problem);
    }
  }

  private static String problemWith(String value) {
    if (value == null || value.isBlank()) {
      return "must not be empty";
    }
    if (value.length() > MAX_LENGTH) {
      return "must be at most " + MAX_LENGTH + " characters";
    }
    if (!value.chars().allMatch(c -> c >= 0x20 && c <= 0x7e)) {
      return "must be printable ASCII";
    }
    return null;
  }

  @Override
  public String toString() {
    return value;
  }
}
