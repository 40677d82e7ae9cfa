package io.sluice.launcher.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.jobapi.tenant.RequestLimit;
import io.sluice.jobapi.tenant.TenantSettings;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code sluice serve job-api} reads the default tenant request limit and the key cache time. */
class TenantEnvironmentTest {

  @Test
  void shouldLimitNobodyAndCacheKeysForTwoSecondsByDefault() {
    TenantSettings settings = ServeCommand.tenantSettings(new Environment(Map.of()));

    assertThat(settings.defaultLimit()).isEmpty();
    assertThat(settings.keyCacheTtl()).isEqualTo(Duration.ofSeconds(2));
  }

  @Test
  void shouldReadTheDefaultLimitWithABurstOfOneSecondUnlessGiven() {
    assertThat(
            ServeCommand.tenantSettings(
                    new Environment(Map.of("SLUICE_TENANT_REQUESTS_PER_SECOND", "50")))
                .defaultLimit())
        .contains(new RequestLimit(50, 50));
    TenantSettings settings =
        ServeCommand.tenantSettings(
            new Environment(
                Map.of(
                    "SLUICE_TENANT_REQUESTS_PER_SECOND", "2.5",
                    "SLUICE_TENANT_REQUEST_BURST", "10",
                    "SLUICE_API_KEY_CACHE_TTL", "500ms")));
    assertThat(settings.defaultLimit()).contains(new RequestLimit(2.5, 10));
    assertThat(settings.keyCacheTtl()).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void shouldNameTheVariableOfABadLimitOrCacheTime() {
    Environment env =
        new Environment(
            Map.of(
                "SLUICE_KAFKA_BOOTSTRAP", "kafka:9092",
                "SLUICE_JDBC_URL", "jdbc:postgresql://db/sluice",
                "SLUICE_TENANT_REQUESTS_PER_SECOND", "-1",
                "SLUICE_API_KEY_CACHE_TTL", "5m"));

    assertThatThrownBy(() -> ServeCommand.jobApiSettings(env))
        .hasMessageContaining("SLUICE_TENANT_REQUESTS_PER_SECOND")
        .hasMessageContaining("SLUICE_API_KEY_CACHE_TTL");
  }
}
