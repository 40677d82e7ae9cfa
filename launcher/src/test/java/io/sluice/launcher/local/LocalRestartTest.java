package io.sluice.launcher.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.launcher.client.SluiceClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code sluice local} keeps everything in its data directory: after a stop and a start on the same
 * directory, earlier jobs and the dev API key are still there and new jobs run.
 */
class LocalRestartTest {
  @TempDir Path dataDir;

  @Test
  void shouldKeepJobsAndTheDevKeyAcrossAStopAndStart() {
    LocalOptions options = new LocalOptions(dataDir, 0, "unlimited", Duration.ofMillis(5), 4);
    String key;
    String firstJob;
    try (LocalPlatform platform = LocalPlatform.start(options);
        SluiceClient client = new SluiceClient(platform.apiUrl(), platform.devApiKey())) {
      key = platform.devApiKey();
      firstJob = submit(client, "reverse: before the restart");
      awaitSucceeded(client, firstJob);
    }

    try (LocalPlatform platform = LocalPlatform.start(options);
        SluiceClient client = new SluiceClient(platform.apiUrl(), platform.devApiKey())) {
      assertThat(platform.devApiKey()).isEqualTo(key);
      assertThat(client.job(firstJob).get("output").asText()).isEqualTo("tratser eht erofeb");
      String secondJob = submit(client, "uppercase: after the restart");
      assertThat(awaitSucceeded(client, secondJob).get("output").asText())
          .isEqualTo("AFTER THE RESTART");
    }
  }

  private static String submit(SluiceClient client, String prompt) {
    return client
        .submit(
            Map.of(
                "model",
                "gpt-4o-mini",
                "messages",
                List.of(Map.of("role", "user", "content", prompt))))
        .get("id")
        .asText();
  }

  private static JsonNode awaitSucceeded(SluiceClient client, String id) {
    await()
        .atMost(Duration.ofMinutes(1))
        .until(() -> client.job(id).get("status").asText().equals("succeeded"));
    return client.job(id);
  }
}
