package io.sluice.launcher.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sluice.embedded.PostgresEndpoint;
import io.sluice.embedded.TestInfrastructure;
import io.sluice.launcher.client.SluiceClient;
import io.sluice.launcher.client.SluiceClient.ApiException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two Sluice deployments with different topic prefixes on one Kafka cluster (issue 8, defect 7):
 * every consumer group, Streams application ID and client ID derives from the prefix, so neither
 * takes the other's partitions and both finish their own jobs. With a shared application ID, the
 * two dispatchers formed one group over different topics and no task was ever produced.
 */
class TwoDeploymentsTest {
  private static final int JOBS = 20;

  @TempDir Path stagingDir;
  @TempDir Path productionDir;

  @Test
  void shouldRunTwoDeploymentsOnOneBrokerEachProcessingItsOwnJobs() {
    String run = TestInfrastructure.uniqueName("two");
    try (PostgresEndpoint stagingDb = TestInfrastructure.newDatabase();
        PostgresEndpoint productionDb = TestInfrastructure.newDatabase();
        LocalPlatform staging = start(stagingDir, stagingDb, run + "-staging");
        LocalPlatform production = start(productionDir, productionDb, run + "-production");
        SluiceClient stagingClient = new SluiceClient(staging.apiUrl(), staging.devApiKey());
        SluiceClient productionClient =
            new SluiceClient(production.apiUrl(), production.devApiKey())) {
      List<String> stagingJobs = submit(stagingClient, "staging");
      List<String> productionJobs = submit(productionClient, "production");

      awaitSucceeded(stagingClient, stagingJobs, "staging");
      awaitSucceeded(productionClient, productionJobs, "production");
      // Each deployment knows only its own jobs.
      assertThatThrownBy(() -> stagingClient.job(productionJobs.get(0)))
          .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(404));
      assertThatThrownBy(() -> productionClient.job(stagingJobs.get(0)))
          .isInstanceOfSatisfying(ApiException.class, e -> assertThat(e.status()).isEqualTo(404));
    }
  }

  private static LocalPlatform start(Path dir, PostgresEndpoint db, String prefix) {
    return LocalPlatform.startOn(
        new LocalOptions(dir, 0, "unlimited", Duration.ofMillis(20), 8),
        db,
        TestInfrastructure.kafka(),
        prefix);
  }

  private static List<String> submit(SluiceClient client, String deployment) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < JOBS; i++) {
      ids.add(
          client
              .submit(
                  Map.of(
                      "model",
                      "gpt-4o-mini",
                      "messages",
                      List.of(Map.of("role", "user", "content", "reverse: " + deployment + i))))
              .get("id")
              .asText());
    }
    return ids;
  }

  private static void awaitSucceeded(SluiceClient client, List<String> ids, String deployment) {
    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(250))
        .until(
            () ->
                ids.stream()
                    .allMatch(id -> "succeeded".equals(client.job(id).get("status").asText())));
    for (int i = 0; i < ids.size(); i++) {
      assertThat(client.job(ids.get(i)).get("output").asText())
          .isEqualTo(new StringBuilder(deployment + i).reverse().toString());
    }
  }
}
