package io.sluice.launcher.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.jobapi.bulk.BulkSettings;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code sluice serve job-api} takes bodies up to 16 MiB unless SLUICE_MAX_BODY_BYTES says, and
 * files up to 512 MiB of 1,000,000 lines unless SLUICE_BULK_MAX_FILE_BYTES and _MAX_LINES say.
 */
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

  @Test
  void shouldTakeFilesOfHalfAGibibyteAndAMillionLinesByDefault() {
    BulkSettings bulk = ServeCommand.jobApiSettings(new Environment(required(Map.of()))).bulk();

    assertThat(bulk.maxFileBytes()).isEqualTo(512L * 1024 * 1024);
    assertThat(bulk.maxLines()).isEqualTo(1_000_000);
  }

  @Test
  void shouldReadTheFileLimitsFromTheEnvironment() {
    BulkSettings bulk =
        ServeCommand.jobApiSettings(
                new Environment(
                    required(
                        Map.of(
                            "SLUICE_BULK_MAX_FILE_BYTES", "2147483648",
                            "SLUICE_BULK_MAX_LINES", "50000"))))
            .bulk();

    assertThat(bulk.maxFileBytes()).isEqualTo(2L * 1024 * 1024 * 1024);
    assertThat(bulk.maxLines()).isEqualTo(50_000);
  }

  @Test
  void shouldNameEachFileLimitThatIsNotANumberInItsRange() {
    Environment env =
        new Environment(
            required(Map.of("SLUICE_BULK_MAX_FILE_BYTES", "10", "SLUICE_BULK_MAX_LINES", "lots")));

    assertThatThrownBy(() -> ServeCommand.jobApiSettings(env))
        .hasMessageContaining("SLUICE_BULK_MAX_FILE_BYTES must be a number of bytes from 1024")
        .hasMessageContaining("SLUICE_BULK_MAX_LINES must be a number of lines");
  }
}
