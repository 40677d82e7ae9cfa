package io.sluice.jobapi.webhook;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a delivery stands: {@code pending} (not tried yet, or replayed), {@code failed} (the last
 * attempt failed, another is scheduled), {@code succeeded}, {@code dead} (no attempt left, or its
 * endpoint answered 410).
 */
public enum DeliveryStatus {
  PENDING,
  FAILED,
  SUCCEEDED,
  DEAD;

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<DeliveryStatus> fromWire(String name) {
    return Arrays.stream(values()).filter(s -> s.wireName().equals(name)).findFirst();
  }
}
