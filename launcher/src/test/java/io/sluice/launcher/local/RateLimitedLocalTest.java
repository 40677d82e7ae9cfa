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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sluice local --profile openai-tier1}: the workers run through the shared rate limiter
 * (state in PostgreSQL) configured with the simulated account's limits, under load that makes the
 * limit bind: the jobs ask for more tokens than one minute's bucket holds (OpenAI counts prompt +
 * {@code max_tokens} at admission), so the last of them can only run as the bucket refills. The
 * simulator must then have answered every call without a 429, and the run must not take much longer
 * than the limit forces.
 */
class RateLimitedLocalTest {
  private static final int JOBS = 50;
  private static final int MAX_TOKENS = 5_000;
  private static final long TOKENS_PER_MINUTE = 200_000; // openai-tier1, gpt-4o-mini

  @TempDir Path dataDir;

  @Test
  void shouldRunJobsAtTheProfilesBindingLimitWithoutA429() throws Exception {
    try (PostgresEndpoint database = TestInfrastructure.newDatabase();
        LocalPlatform platform =
            LocalPlatform.startOn(
                new LocalOptions(dataDir, 0, "openai-tier1", Duration.ofMillis(5), 16),
                database,
                TestInfrastructure.kafka(),
                TestInfrastructure.uniqueName("limited"));
        SluiceClient client = new SluiceClient(platform.apiUrl(), platform.devApiKey())) {
      long started = System.nanoTime();
      Map<String, String> expected = new LinkedHashMap<>();
      for (int i = 0; i < JOBS; i++) {
        String text = "limit " + i + " " + TestInfrastructure.uniqueName("w");
        expected.put(
            submit(client, "reverse: " + text), new StringBuilder(text).reverse().toString());
      }

      await()
          .atMost(Duration.ofMinutes(2))
          .pollInterval(Duration.ofMillis(500))
          .until(() -> expected.keySet().stream().allMatch(id -> isDone(client, id)));
      Duration took = Duration.ofNanos(System.nanoTime() - started);

      expected.forEach(
          (id, output) -> {
            JsonNode job = client.job(id);
            assertThat(job.get("status").asText()).as("status of %s", id).isEqualTo("succeeded");
            assertThat(job.get("output").asText()).isEqualTo(output);
          });
      JsonNode total = meterTotal(platform);
      assertThat(total.get("model").asText()).isEqualTo("gpt-4o-mini");
      assertThat(total.get("requests").asLong()).isEqualTo(JOBS);
      assertThat(total.get("rate_limited").asLong()).as("429s from the simulator").isZero();
      long admitted = total.get("input_tokens").asLong() + total.get("max_tokens").asLong();
      assertThat(admitted).as("tokens the simulator counted").isGreaterThan(TOKENS_PER_MINUTE);
      Duration forced = refillTime(admitted - TOKENS_PER_MINUTE);
      assertThat(took)
          .as("the limit binds, and the limit is used: at least %s, not much more", forced)
          .isGreaterThanOrEqualTo(forced.multipliedBy(9).dividedBy(10))
          .isLessThan(forced.multipliedBy(3).plusSeconds(30));
      assertThat(limiterRows(database)).isPositive();
    }
  }

  /** How long the bucket takes to refill this many tokens. */
  private static Duration refillTime(long tokens) {
    return Duration.ofMillis(tokens * 60_000 / TOKENS_PER_MINUTE);
  }

  private static String submit(SluiceClient client, String prompt) {
    return client
        .submit(
            Map.of(
                "model",
                "gpt-4o-mini",
                "max_tokens",
                MAX_TOKENS,
                "messages",
                List.of(Map.of("role", "user", "content", prompt))))
        .get("id")
        .asText();
  }

  private static boolean isDone(SluiceClient client, String id) {
    String status = client.job(id).get("status").asText();
    return !status.equals("queued") && !status.equals("running");
  }

  private static JsonNode meterTotal(LocalPlatform platform) throws Exception {
    JsonNode meter =
        Json.mapper().readTree(URI.create(platform.simulatorUrl() + "/_sim/meter").toURL());
    return meter.get("totals").get(0);
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
