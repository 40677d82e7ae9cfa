package io.sluice.bench.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class InstrumentationTest {
  @Test
  void shouldGiveTheChildTheVariablesOfEachChoice() {
    assertThat(Instrumentation.DEFAULT.environment("http://127.0.0.1:1")).isEmpty();
    assertThat(Instrumentation.OFF.environment("http://127.0.0.1:1"))
        .containsExactlyEntriesOf(java.util.Map.of("SLUICE_METRICS_ENABLED", "false"));
    assertThat(Instrumentation.TRACED.environment("http://127.0.0.1:1"))
        .containsEntry("OTEL_EXPORTER_OTLP_ENDPOINT", "http://127.0.0.1:1")
        .containsEntry("OTEL_TRACES_SAMPLER", "always_on")
        .doesNotContainKey("SLUICE_METRICS_ENABLED");
  }

  @Test
  void shouldReadTheOptionAndNameTheChoicesWhenItIsWrong() {
    assertThat(IntakeOptions.DEFAULT.instrumentation()).isEqualTo(Instrumentation.DEFAULT);
    assertThat(IntakeOptions.DEFAULT.withInstrumentation(" Traced").instrumentation())
        .isEqualTo(Instrumentation.TRACED);
    assertThat(IntakeOptions.DEFAULT.withInstrumentation("off").withRates("100").instrumentation())
        .as("kept by the other withers")
        .isEqualTo(Instrumentation.OFF);
    assertThatThrownBy(() -> IntakeOptions.DEFAULT.withInstrumentation("some"))
        .hasMessageContaining("--instrumentation must be one of default, off, traced, got 'some'");
  }

  @Test
  void shouldCountTheExportsTheSinkTakesAndAnswerThem() throws Exception {
    try (TraceSink sink = TraceSink.start();
        HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<Void> answer =
          http.send(
              HttpRequest.newBuilder(URI.create(sink.url() + "/v1/traces"))
                  .header("Content-Type", "application/x-protobuf")
                  .POST(HttpRequest.BodyPublishers.ofByteArray(new byte[1234]))
                  .build(),
              HttpResponse.BodyHandlers.discarding());

      assertThat(answer.statusCode()).isEqualTo(200);
      assertThat(sink.exports()).isEqualTo(1);
      assertThat(sink.bytes()).isEqualTo(1234);
    }
  }
}
