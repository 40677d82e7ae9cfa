package io.sluice.simulator.internal.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.sluice.schemas.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What to send back: status, headers, body, and how to deliver it ({@link Delivery}): normally, cut
 * short, or not at all; after an optional delay.
 */
public record Reply(
    int status, Map<String, String> headers, byte[] body, Delivery delivery, Duration delay) {

  /** How the bytes reach the client. */
  public enum Delivery {
    /** The whole response. */
    NORMAL,
    /** About half of the body is sent (chunked), so its JSON stops in the middle. */
    TRUNCATED,
    /** The connection is closed without any response. */
    RESET
  }

  public Reply {
    headers = new LinkedHashMap<>(headers);
  }

  /** A JSON reply of any Jackson-serialisable value. */
  public static Reply json(int status, Object value) {
    try {
      byte[] body = value instanceof byte[] bytes ? bytes : Json.mapper().writeValueAsBytes(value);
      Map<String, String> headers = new LinkedHashMap<>();
      headers.put("content-type", "application/json");
      return new Reply(status, headers, body, Delivery.NORMAL, Duration.ZERO);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write a simulator reply as JSON", e);
    }
  }

  /** A reply with this content type and text body. */
  public static Reply text(int status, String contentType, String body) {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("content-type", contentType);
    return new Reply(
        status, headers, body.getBytes(StandardCharsets.UTF_8), Delivery.NORMAL, Duration.ZERO);
  }

  /** A copy with one more header. */
  public Reply withHeader(String name, String value) {
    Map<String, String> copy = new LinkedHashMap<>(headers);
    copy.put(name, value);
    return new Reply(status, copy, body, delivery, delay);
  }

  /** A copy with these headers added. */
  public Reply withHeaders(Map<String, String> more) {
    Map<String, String> copy = new LinkedHashMap<>(headers);
    copy.putAll(more);
    return new Reply(status, copy, body, delivery, delay);
  }

  public Reply withBody(byte[] newBody) {
    return new Reply(status, headers, newBody, delivery, delay);
  }

  public Reply withDelivery(Delivery newDelivery) {
    return new Reply(status, headers, body, newDelivery, delay);
  }

  public Reply withDelay(Duration newDelay) {
    return new Reply(status, headers, body, delivery, newDelay);
  }
}
