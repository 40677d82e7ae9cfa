package io.sluice.launcher.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.embedded.PostgresEndpoint;
import io.sluice.embedded.TestInfrastructure;
import io.sluice.launcher.testing.SluiceProcess;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code sluice serve job-api} as the chart runs it serves its management endpoint on {@code
 * SLUICE_MANAGEMENT_PORT}: live, ready once it runs on Kafka and PostgreSQL, and its series on
 * {@code /metrics}.
 */
class ServeManagementTest {
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void shouldServeMetricsAndHealthOnTheManagementPortOfAServedComponent() throws Exception {
    try (PostgresEndpoint db = TestInfrastructure.newDatabase()) {
      int management = freePort();
      Map<String, String> env = new HashMap<>();
      env.put("SLUICE_KAFKA_BOOTSTRAP", TestInfrastructure.kafka().bootstrapServers());
      env.put("SLUICE_TOPIC_PREFIX", TestInfrastructure.uniqueName("serve-mgmt"));
      env.put("SLUICE_JDBC_URL", db.jdbcUrl());
      env.put("SLUICE_JDBC_USER", db.username());
      env.put("SLUICE_JDBC_PASSWORD", db.password());
      env.put("SLUICE_HTTP_PORT", Integer.toString(freePort()));
      env.put("SLUICE_MANAGEMENT_PORT", Integer.toString(management));
      try (SluiceProcess api = SluiceProcess.sluice(env, "serve", "job-api")) {
        api.awaitLine("job-api listening on", Duration.ofMinutes(2));
        URI base = URI.create("http://127.0.0.1:" + management);

        assertThat(get(base, "/health/live").statusCode()).isEqualTo(200);
        await()
            .atMost(Duration.ofSeconds(30))
            .untilAsserted(
                () ->
                    assertThat(get(base, "/health/ready").body()).isEqualTo("{\"status\":\"UP\"}"));
        HttpResponse<String> metrics = get(base, "/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body())
            .contains("sluice_jobs_submitted_total 0.0")
            .contains("sluice_outbox_backlog 0.0")
            .contains("jvm_memory_used_bytes");
      }
    }
  }

  private HttpResponse<String> get(URI base, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(base.resolve(path)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
