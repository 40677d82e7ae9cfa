package io.sluice.observability;

import java.util.Objects;

/**
 * The answer of one {@link HealthCheck}: up, or down with a short reason an operator can act on
 * (which server did not answer, which part has not started). A reason never quotes data.
 *
 * @param isUp whether the checked thing works
 * @param reason why it does not; {@code null} when up
 */
public record Health(boolean isUp, String reason) {
  private static final Health UP = new Health(true, null);

  public Health {
    if (!isUp) {
      Objects.requireNonNull(reason, "reason");
    }
  }

  public static Health up() {
    return UP;
  }

  public static Health down(String reason) {
    return new Health(false, reason);
  }

  /** Up when {@code condition} holds, else down with {@code reason}. */
  public static Health when(boolean condition, String reason) {
    return condition ? UP : down(reason);
  }
}
