package io.sluice.launcher.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.embedded.PostgresEndpoint;
import io.sluice.embedded.TestInfrastructure;
import io.sluice.launcher.client.SluiceClient;
import io.sluice.schemas.json.Json;
import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sluice local --profile openai-tier1}: the workers run through the shared rate limiter
 * (state in PostgreSQL) configured with the simulated account's limits, and jobs complete.
 */
class RateLimitedLocalTest {
  @TempDir Path dataDir;

  @Test
  void shouldRunJobsThroughTheSharedLimiterAtTheProfilesLimits() throws Exception {
    try (PostgresEndpoint database = TestInfrastructure.newDatabase();
        LocalPlatform platform =
            LocalPlatform.startOn(
                new LocalOptions(dataDir, 0, "openai-tier1", Duration.ofMillis(5), 8),
                database,
                TestInfrastructure.kafka(),
                TestInfrastructure.uniqueName("limited"));
        SluiceClient client = new SluiceClient(platform.apiUrl(), platform.devApiKey())) {
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        ids.add(
            client
                .submit(
                    Map.of(
                        "model",
                        "gpt-4o-mini",
                        "max_tokens",
                        50,
                        "messages",
                        List.of(Map.of("role", "user", "content", "sum: 1 " + i))))
                .get("id")
                .asText());
      }

      await()
          .atMost(Duration.ofMinutes(1))
          .until(() -> ids.stream().allMatch(id -> status(client, id).equals("succeeded")));
      JsonNode meter =
          Json.mapper().readTree(URI.create(platform.simulatorUrl() + "/_sim/meter").toURL());
      JsonNode total = meter.get("totals").get(0);
      assertThat(total.get("model").asText()).isEqualTo("gpt-4o-mini");
      assertThat(total.get("requests").asLong()).isEqualTo(20);
      assertThat(total.get("rate_limited").asLong()).isZero();
      assertThat(limiterRows(database)).isPositive();
    }
  }

  private static String status(SluiceClient client, String id) {
    return client.job(id).get("status").asText();
  }

  /** The shared limiter keeps its state in PostgreSQL: the workers must have written it. */
  private static long limiterRows(PostgresEndpoint database) throws SQLException {
    try (Connection connection =
            DriverManager.getConnection(
                database.jdbcUrl(), database.username(), database.password());
        ResultSet rows =
            connection
                .createStatement()
                .executeQuery("SELECT count(*) FROM rate_limiter.limit_state")) {
      rows.next();
      return rows.getLong(1);
    }
  }
}
