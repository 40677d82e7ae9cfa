package io.sluice.schemas.job;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Whether a job runs on a provider's realtime API, on its batch API (half price, within 24 h), or
 * wherever its deadline allows.
 */
public enum Mode {
  @JsonProperty("realtime")
  REALTIME,
  @JsonProperty("deferred")
  DEFERRED,
  @JsonProperty("auto")
  AUTO;

  /** The default when a job does not say. */
  public static final Mode DEFAULT = REALTIME;

  private static final Map<String, Mode> BY_WIRE_NAME =
      Arrays.stream(values()).collect(Collectors.toMap(Mode::wireName, Function.identity()));

  /** The name on the wire (JSON, HTTP API, Kafka payloads), e.g. {@code "deferred"}. */
  public String wireName() {
    try {
      return Mode.class.getField(name()).getAnnotation(JsonProperty.class).value();
    } catch (NoSuchFieldException e) {
      throw new IllegalStateException("enum constant without a field: " + name(), e);
    }
  }

  /**
   * The constant with this wire name, exactly as spelled on the wire (case-sensitive); empty for
   * any other string.
   */
  public static Optional<Mode> fromWire(String wireName) {
    return Optional.ofNullable(wireName == null ? null : BY_WIRE_NAME.get(wireName));
  }

  /** Every wire name, in declaration order. */
  public static List<String> wireNames() {
    return Arrays.stream(values()).map(Mode::wireName).toList();
  }
}
