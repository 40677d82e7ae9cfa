package io.sluice.launcher.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.sluice.lifecycle.Lifecycle;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * The {@link OpenTelemetry} each component of a process records its spans with. Off ({@link
 * OpenTelemetry#noop()}) unless the standard OpenTelemetry variables ask for export: {@code
 * OTEL_EXPORTER_OTLP_ENDPOINT} or {@code OTEL_EXPORTER_OTLP_TRACES_ENDPOINT} set (and neither
 * {@code OTEL_SDK_DISABLED=true} nor {@code OTEL_TRACES_EXPORTER=none}). Then every component gets
 * an SDK of its own, configured from the {@code OTEL_*} variables (OTLP over HTTP/protobuf through
 * the JDK's HTTP client, a batch span processor, W3C trace context propagation), with {@code
 * service.name} = the component ({@code sluice-job-api}, {@code sluice-dispatcher}, {@code
 * sluice-workers-openai}, ...) unless {@code OTEL_SERVICE_NAME} names one; metrics and logs are not
 * exported (they have {@code /metrics} and the log). The SDK is closed by the lifecycle, after its
 * component (it flushes the spans still buffered).
 */
public final class ComponentTracing {
  private final Map<String, String> otelVariables;
  private final OpenTelemetry shared;

  private ComponentTracing(Map<String, String> otelVariables, OpenTelemetry shared) {
    this.otelVariables = otelVariables;
    this.shared = shared;
  }

  /** No tracing: every component gets {@link OpenTelemetry#noop()}. */
  public static ComponentTracing off() {
    return new ComponentTracing(null, OpenTelemetry.noop());
  }

  /** One {@link OpenTelemetry} for every component (tests); its owner closes it. */
  public static ComponentTracing shared(OpenTelemetry openTelemetry) {
    return new ComponentTracing(null, Objects.requireNonNull(openTelemetry, "openTelemetry"));
  }

  /** OTLP export when {@code variables} (the process environment) ask for it, else off. */
  public static ComponentTracing fromEnvironment(Map<String, String> variables) {
    return exportRequested(variables) ? new ComponentTracing(otelOnly(variables), null) : off();
  }

  /** Whether components get an exporting SDK of their own. */
  public boolean exports() {
    return shared == null;
  }

  /**
   * The {@link OpenTelemetry} of the component named {@code serviceName}; an SDK of its own is
   * registered in {@code lifecycle}, so that it closes after the parts registered later (the
   * component).
   */
  public OpenTelemetry forComponent(String serviceName, Lifecycle lifecycle) {
    if (shared != null) {
      return shared;
    }
    return lifecycle.started("tracing of " + serviceName, sdk(serviceName));
  }

  static boolean exportRequested(Map<String, String> variables) {
    boolean endpoint =
        present(variables, "OTEL_EXPORTER_OTLP_ENDPOINT")
            || present(variables, "OTEL_EXPORTER_OTLP_TRACES_ENDPOINT");
    boolean disabled =
        "true".equalsIgnoreCase(trimmed(variables, "OTEL_SDK_DISABLED"))
            || "none".equalsIgnoreCase(trimmed(variables, "OTEL_TRACES_EXPORTER"));
    return endpoint && !disabled;
  }

  private OpenTelemetrySdk sdk(String serviceName) {
    Map<String, String> defaults =
        Map.of(
            "otel.service.name", serviceName,
            "otel.traces.exporter", "otlp",
            "otel.metrics.exporter", "none",
            "otel.logs.exporter", "none",
            "otel.exporter.otlp.protocol", "http/protobuf",
            "otel.propagators", "tracecontext");
    return AutoConfiguredOpenTelemetrySdk.builder()
        .addPropertiesSupplier(() -> defaults)
        // the variables given (not necessarily this process's) win over the defaults
        .addPropertiesCustomizer(config -> otelVariables)
        .disableShutdownHook()
        .build()
        .getOpenTelemetrySdk();
  }

  /** {@code OTEL_EXPORTER_OTLP_ENDPOINT} as the property {@code otel.exporter.otlp.endpoint}. */
  private static Map<String, String> otelOnly(Map<String, String> variables) {
    Map<String, String> properties = new HashMap<>();
    variables.forEach(
        (name, value) -> {
          if (name.startsWith("OTEL_") && value != null && !value.isBlank()) {
            properties.put(name.toLowerCase(Locale.ROOT).replace('_', '.'), value.trim());
          }
        });
    return Map.copyOf(properties);
  }

  private static boolean present(Map<String, String> variables, String name) {
    return trimmed(variables, name) != null;
  }

  private static String trimmed(Map<String, String> variables, String name) {
    String value = variables.get(name);
    return value == null || value.isBlank() ? null : value.trim();
  }
}
