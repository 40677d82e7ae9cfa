package io.sluice.launcher.tracing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.sluice.lifecycle.Lifecycle;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Export is off unless the standard OTLP variables ask for it; then each component has an SDK. */
class ComponentTracingTest {

  @Test
  void shouldBeOffWithoutAnOtlpEndpoint() {
    ComponentTracing tracing = ComponentTracing.fromEnvironment(Map.of("OTEL_SERVICE_NAME", "x"));

    assertThat(tracing.exports()).isFalse();
    try (Lifecycle lifecycle = new Lifecycle("test")) {
      assertThat(tracing.forComponent("sluice-dispatcher", lifecycle))
          .isSameAs(OpenTelemetry.noop());
    }
  }

  @Test
  void shouldStayOffWhenTheSdkOrTheTracesExporterIsDisabled() {
    String endpoint = "http://127.0.0.1:4318";
    assertThat(
            ComponentTracing.exportRequested(
                Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint, "OTEL_SDK_DISABLED", "true")))
        .isFalse();
    assertThat(
            ComponentTracing.exportRequested(
                Map.of("OTEL_EXPORTER_OTLP_ENDPOINT", endpoint, "OTEL_TRACES_EXPORTER", "none")))
        .isFalse();
    assertThat(
            ComponentTracing.exportRequested(
                Map.of("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", endpoint + "/v1/traces")))
        .isTrue();
  }

  @Test
  void shouldGiveEachComponentAnOtlpSdkNamedForItThatExportsWhenTheLifecycleCloses()
      throws Exception {
    List<String> received = new CopyOnWriteArrayList<>();
    HttpServer collector = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    collector.createContext(
        "/",
        exchange -> {
          received.add(
              exchange.getRequestMethod()
                  + " "
                  + exchange.getRequestURI().getPath()
                  + " "
                  + exchange.getRequestHeaders().getFirst("Content-Type"));
          exchange.getRequestBody().readAllBytes();
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    collector.start();
    try {
      ComponentTracing tracing =
          ComponentTracing.fromEnvironment(
              Map.of(
                  "OTEL_EXPORTER_OTLP_ENDPOINT",
                  "http://127.0.0.1:" + collector.getAddress().getPort()));
      assertThat(tracing.exports()).isTrue();

      try (Lifecycle lifecycle = new Lifecycle("test")) {
        OpenTelemetry openTelemetry = tracing.forComponent("sluice-job-api", lifecycle);
        assertThat(openTelemetry).isInstanceOf(OpenTelemetrySdk.class);
        assertThat(((OpenTelemetrySdk) openTelemetry).getSdkTracerProvider().toString())
            .contains("service.name=\"sluice-job-api\"")
            .contains("BatchSpanProcessor")
            .contains("OtlpHttpSpanExporter");
        openTelemetry.getTracer("test").spanBuilder("exported").startSpan().end();
      }

      // closing flushes the batch: OTLP/HTTP protobuf through the JDK's client (no OkHttp here)
      await()
          .atMost(Duration.ofSeconds(10))
          .untilAsserted(
              () -> assertThat(received).contains("POST /v1/traces application/x-protobuf"));
    } finally {
      collector.stop(0);
    }
  }
}
