package io.sluice.launcher.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.embedded.PostgresEndpoint;
import io.sluice.embedded.TestInfrastructure;
import io.sluice.jobapi.JobApi;
import io.sluice.jobapi.JobApiSettings;
import io.sluice.launcher.client.SluiceClient;
import io.sluice.launcher.testing.BrokerMain;
import io.sluice.launcher.testing.SluiceProcess;
import io.sluice.schemas.model.ModelCatalog;
import io.sluice.simulator.Simulator;
import io.sluice.simulator.SimulatorConfig;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The three {@code sluice serve} components as separate processes while their Kafka broker is away
 * for 10 s: each logs one WARN when it loses Kafka and one INFO when it is back, not the clients'
 * reconnect chatter (thousands of lines before), and jobs submitted after the outage finish without
 * help. SIGTERM then stops each with exit code 0 within 15 s.
 */
class KafkaOutageTest {
  private static final Duration OUTAGE = Duration.ofSeconds(10);
  private static final Duration STOP_BOUND = Duration.ofSeconds(15);

  /**
   * Besides the watch's line, a component may say what an outage did to its own work, once per
   * consumer at most (the workers: "broker refused acknowledgements ... (DisconnectException);
   * those records will be delivered again", one per lane consumer holding records). Kafka's own
   * clients log nothing at WARN.
   */
  private static final int OWN_LINES = 6;

  @TempDir Path brokerDir;
  @TempDir Path stateDir;

  @Test
  void shouldLogOneLineWhenAComponentLosesKafkaAndOneWhenItIsBackAndKeepProcessing()
      throws Exception {
    int brokerPort = freePort();
    int apiPort = freePort();
    String bootstrap = "127.0.0.1:" + brokerPort;
    String prefix = TestInfrastructure.uniqueName("outage");
    SluiceProcess broker = startBroker(brokerPort);
    Map<String, SluiceProcess> components = new LinkedHashMap<>();
    try (PostgresEndpoint db = TestInfrastructure.newDatabase();
        Simulator simulator = Simulator.start(SimulatorConfig.defaults())) {
      String apiKey = issueKey(db, bootstrap, prefix);
      Map<String, String> env = new HashMap<>();
      env.put("SLUICE_KAFKA_BOOTSTRAP", bootstrap);
      env.put("SLUICE_TOPIC_PREFIX", prefix);
      env.put("SLUICE_JDBC_URL", db.jdbcUrl());
      env.put("SLUICE_JDBC_USER", db.username());
      env.put("SLUICE_JDBC_PASSWORD", db.password());
      env.put("SLUICE_HTTP_PORT", Integer.toString(apiPort));
      env.put("SLUICE_STATE_DIR", stateDir.toString());
      env.put("SLUICE_PROVIDER_OPENAI_BASE_URL", simulator.baseUrl().toString());
      env.put("SLUICE_PROVIDER_OPENAI_API_KEY", "sk-outage-test");
      components.put("job-api", SluiceProcess.sluice(env, "serve", "job-api"));
      components.put("dispatcher", SluiceProcess.sluice(env, "serve", "dispatcher"));
      components.put(
          "workers openai", SluiceProcess.sluice(env, "serve", "workers", "--provider", "openai"));
      try (SluiceClient client =
          new SluiceClient(URI.create("http://127.0.0.1:" + apiPort), apiKey)) {
        components.get("job-api").awaitLine("job-api listening on", Duration.ofMinutes(1));
        awaitSucceeded(client, submit(client, 3), Duration.ofMinutes(2));
        Map<String, Integer> marks = new HashMap<>();
        components.forEach((name, process) -> marks.put(name, process.lines().size()));

        broker.terminate();
        assertThat(broker.awaitExit(Duration.ofSeconds(30))).isPresent();
        long down = System.nanoTime();
        components.forEach(
            (name, process) ->
                process.awaitLine(
                    "Kafka connection of " + name + " failed", Duration.ofSeconds(30)));
        await().pollDelay(OUTAGE.minusNanos(System.nanoTime() - down)).until(() -> true);
        broker = startBroker(brokerPort);
        components.forEach(
            (name, process) ->
                process.awaitLine(
                    "Kafka connection of " + name + " is working again", Duration.ofSeconds(60)));
        awaitSucceeded(client, submit(client, 20), Duration.ofMinutes(2));

        components.forEach(
            (name, process) -> {
              List<String> warnings = process.warningsFrom(marks.get(name));
              String context = "warnings of %s during the outage; output:%n%s";
              assertThat(warnings)
                  .as(context, name, process.output())
                  .filteredOn(line -> line.contains("Kafka connection of " + name + " failed"))
                  .hasSize(1);
              assertThat(warnings)
                  .as(context, name, process.output())
                  .noneMatch(line -> line.contains(" o.a.k.") || line.contains(" kafka."))
                  .allMatch(line -> line.contains(" i.s."))
                  .hasSizeLessThanOrEqualTo(1 + OWN_LINES);
            });
        for (var entry : components.entrySet()) {
          entry.getValue().terminate();
          assertThat(entry.getValue().awaitExit(STOP_BOUND))
              .as("exit of %s; output:%n%s", entry.getKey(), entry.getValue().output())
              .contains(0);
        }
      }
    } finally {
      for (SluiceProcess process : components.values()) {
        process.close();
      }
      broker.close();
    }
  }

  private SluiceProcess startBroker(int port) {
    SluiceProcess broker =
        SluiceProcess.main(BrokerMain.class, brokerDir.toString(), Integer.toString(port));
    broker.awaitLine("READY", Duration.ofMinutes(1));
    return broker;
  }

  /** A tenant and key in the deployment's database, through the job API's own admin. */
  private static String issueKey(PostgresEndpoint db, String bootstrap, String prefix) {
    try (JobApi api =
        JobApi.start(
            JobApiSettings.builder()
                .httpHost("127.0.0.1")
                .httpPort(0)
                .jdbcUrl(db.jdbcUrl())
                .dbUser(db.username())
                .dbPassword(db.password())
                .kafkaBootstrap(bootstrap)
                .topicPrefix(prefix)
                .topicReplicationFactor((short) 1)
                .models(ModelCatalog.defaults())
                .build())) {
      return api.admin().issueKey(api.admin().ensureTenant("outage").id()).plaintext();
    }
  }

  private static List<String> submit(SluiceClient client, int jobs) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < jobs; i++) {
      ids.add(
          client
              .submit(
                  Map.of(
                      "model",
                      "gpt-4o-mini",
                      "messages",
                      List.of(Map.of("role", "user", "content", "reverse: outage " + i))))
              .get("id")
              .asText());
    }
    return ids;
  }

  private static void awaitSucceeded(SluiceClient client, List<String> ids, Duration timeout) {
    await()
        .atMost(timeout)
        .pollInterval(Duration.ofMillis(500))
        .until(
            () ->
                ids.stream()
                    .allMatch(id -> client.job(id).get("status").asText().equals("succeeded")));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
