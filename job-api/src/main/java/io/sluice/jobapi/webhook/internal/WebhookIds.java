package io.sluice.jobapi.webhook.internal;

import java.security.SecureRandom;
import java.time.Clock;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * Endpoint IDs ({@code we_}) and delivery IDs ({@code msg_}, the {@code webhook-id}): 32 hex digits
 * laid out like a UUID v7, so they sort roughly by creation time and are unguessable.
 */
final class WebhookIds {
  private static final HexFormat HEX = HexFormat.of();
  private static final Pattern ENDPOINT = Pattern.compile("we_[0-9a-f]{32}");
  private static final Pattern DELIVERY = Pattern.compile("msg_[0-9a-f]{32}");
  private final Clock clock;
  private final SecureRandom random;

  WebhookIds(Clock clock, SecureRandom random) {
    this.clock = clock;
    this.random = random;
  }

  String endpoint() {
    return "we_" + next();
  }

  String delivery() {
    return "msg_" + next();
  }

  static boolean isEndpoint(String id) {
    return id != null && ENDPOINT.matcher(id).matches();
  }

  static boolean isDelivery(String id) {
    return id != null && DELIVERY.matcher(id).matches();
  }

  private String next() {
    byte[] bytes = new byte[16];
    random.nextBytes(bytes);
    long millis = clock.millis();
    for (int i = 0; i < 6; i++) {
      bytes[i] = (byte) (millis >>> (40 - 8 * i));
    }
    bytes[6] = (byte) ((bytes[6] & 0x0f) | 0x70);
    bytes[8] = (byte) ((bytes[8] & 0x3f) | 0x80);
    return HEX.formatHex(bytes);
  }
}
