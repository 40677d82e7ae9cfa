package io.sluice.schemas.job;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** How urgently a job should run. Higher priorities are taken from their lanes first. */
public enum Priority {
  @JsonProperty("interactive")
  INTERACTIVE,
  @JsonProperty("standard")
  STANDARD,
  @JsonProperty("bulk")
  BULK;

  /** The default when a job does not say. */
  public static final Priority DEFAULT = STANDARD;

  private static final Map<String, Priority> BY_WIRE_NAME =
      Arrays.stream(values()).collect(Collectors.toMap(Priority::wireName, Function.identity()));

  /** The name on the wire (JSON, HTTP API, Kafka payloads), e.g. {@code "bulk"}. */
  public String wireName() {
    try {
      return Priority.class.getField(name()).getAnnotation(JsonProperty.class).value();
    } catch (NoSuchFieldException e) {
      throw new IllegalStateException("enum constant without a field: " + name(), e);
    }
  }

  /**
   * The constant with this wire name, exactly as spelled on the wire (case-sensitive); empty for
   * any other string.
   */
  public static Optional<Priority> fromWire(String wireName) {
    return Optional.ofNullable(wireName == null ? null : BY_WIRE_NAME.get(wireName));
  }

  /** Every wire name, in declaration order. */
  public static List<String> wireNames() {
    return Arrays.stream(values()).map(Priority::wireName).toList();
  }
}
