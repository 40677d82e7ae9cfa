package io.sluice.embedded;

import static io.sluice.embedded.EmbeddedPostgresTest.connect;
import static io.sluice.embedded.EmbeddedPostgresTest.strings;
import static io.sluice.embedded.KafkaClients.consume;
import static io.sluice.embedded.KafkaClients.consumerConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CrashRecoveryTest {

  @TempDir Path kafkaDir;
  @TempDir Path postgresDir;

  @Test
  void shouldStartAgainOnDataLeftByAKilledProcess() throws Exception {
    Process child = startChild();
    awaitReady(child);
    child.destroyForcibly().waitFor();

    try (KafkaEndpoint kafka = EmbeddedKafka.start(new KafkaOptions(kafkaDir, 0, false));
        PostgresEndpoint postgres = EmbeddedPostgres.start(new PostgresOptions(postgresDir, 0));
        Connection connection = connect(postgres);
        Statement statement = connection.createStatement()) {
      assertThat(consume(consumerConfig(kafka.bootstrapServers(), "g"), "survivors", 1))
          .containsExactly("kept");
      assertThat(strings(statement, "SELECT name FROM survivors")).containsExactly("kept");
    }
  }

  private Process startChild() throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(
            java,
            "-cp",
            System.getProperty("java.class.path"),
            ServersInAChildJvm.class.getName(),
            kafkaDir.toString(),
            postgresDir.toString())
        .redirectErrorStream(true)
        .start();
  }

  private static void awaitReady(Process child) {
    CompletableFuture<Boolean> ready =
        CompletableFuture.supplyAsync(
            () -> {
              try (BufferedReader output =
                  new BufferedReader(
                      new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = output.readLine()) != null) {
                  if (line.equals("READY")) {
                    return true;
                  }
                }
                return false;
              } catch (java.io.IOException e) {
                return false;
              }
            });
    await().atMost(Duration.ofSeconds(90)).until(ready::isDone);
    assertThat(ready.join()).as("child JVM started both servers").isTrue();
  }
}
