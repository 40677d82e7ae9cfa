package io.sluice.bench.intake;

import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * What the child {@code sluice local} records about itself, to measure what instrumentation costs.
 */
public enum Instrumentation {
  /** As shipped: every component's meters on, tracing off (no exporter configured). */
  DEFAULT,
  /** Nothing: the components' meters off ({@code SLUICE_METRICS_ENABLED=false}), tracing off. */
  OFF,
  /**
   * Everything: meters on, and every job traced and exported over OTLP to a collector stub in the
   * benchmark's JVM that answers 200 ({@link TraceSink}); the sampler records every trace.
   */
  TRACED;

  static Instrumentation parse(String value) {
    try {
      return valueOf(value.strip().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--instrumentation must be one of "
              + Arrays.stream(values())
                  .map(v -> v.name().toLowerCase(Locale.ROOT))
                  .collect(Collectors.joining(", "))
              + ", got '"
              + value
              + "'",
          e);
    }
  }

  /** The child's environment for this choice; {@code collector}: the stub's URL when traced. */
  public Map<String, String> environment(String collector) {
    return switch (this) {
      case DEFAULT -> Map.of();
      case OFF -> Map.of("SLUICE_METRICS_ENABLED", "false");
      case TRACED ->
          Map.of(
              "OTEL_EXPORTER_OTLP_ENDPOINT", collector,
              "OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf",
              "OTEL_TRACES_SAMPLER", "always_on");
    };
  }

  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }
}
