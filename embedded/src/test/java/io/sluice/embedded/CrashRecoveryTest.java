package io.sluice.embedded;

import static io.sluice.embedded.EmbeddedPostgresTest.connect;
import static io.sluice.embedded.EmbeddedPostgresTest.strings;
import static io.sluice.embedded.KafkaClients.consume;
import static io.sluice.embedded.KafkaClients.consumerConfig;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CrashRecoveryTest {

  @TempDir Path kafkaDir;
  @TempDir Path postgresDir;

  @Test
  void shouldStartAgainOnDataLeftByAKilledProcess() throws Exception {
    Process child =
        ChildJvm.start(ServersInAChildJvm.class, kafkaDir.toString(), postgresDir.toString());
    ChildJvm.awaitReady(child);
    ChildJvm.kill(child);

    try (KafkaEndpoint kafka = EmbeddedKafka.start(new KafkaOptions(kafkaDir, 0, false));
        PostgresEndpoint postgres = EmbeddedPostgres.start(new PostgresOptions(postgresDir, 0));
        Connection connection = connect(postgres);
        Statement statement = connection.createStatement()) {
      assertThat(consume(consumerConfig(kafka.bootstrapServers(), "g"), "survivors", 1))
          .containsExactly("kept");
      assertThat(strings(statement, "SELECT name FROM survivors")).containsExactly("kept");
    }
  }
}
