package io.sluice.launcher.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code sluice serve job-api} takes bodies up to 16 MiB unless SLUICE_MAX_BODY_BYTES says. */
class BodyLimitEnvironmentTest {
  private static Map<String, String> required(Map<String, String> more) {
    Map<String, String> variables = new HashMap<>(more);
    variables.put("SLUICE_KAFKA_BOOTSTRAP", "kafka:9092");
    variables.put("SLUICE_JDBC_URL", "jdbc:postgresql://db/sluice");
    return variables;
  }

  @Test
  void shouldTakeAMapReduceDocumentsWorthByDefault() {
    assertThat(ServeCommand.jobApiSettings(new Environment(required(Map.of()))).maxBodyBytes())
        .isEqualTo(16L * 1024 * 1024);
  }

  @Test
  void shouldReadTheLimitFromTheEnvironment() {
    assertThat(
            ServeCommand.jobApiSettings(
                    new Environment(required(Map.of("SLUICE_MAX_BODY_BYTES", "2097152"))))
                .maxBodyBytes())
        .isEqualTo(2L * 1024 * 1024);
  }

  @Test
  void shouldNameTheVariableWhenItIsNotANumber() {
    Environment env = new Environment(required(Map.of("SLUICE_MAX_BODY_BYTES", "16MB")));

    assertThatThrownBy(() -> ServeCommand.jobApiSettings(env))
        .hasMessageContaining("SLUICE_MAX_BODY_BYTES");
  }
}
