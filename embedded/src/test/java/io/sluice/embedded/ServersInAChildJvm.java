package io.sluice.embedded;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;

/**
 * Run in a child JVM by {@link CrashRecoveryTest}: starts both servers on persistent directories,
 * writes data, prints {@code READY} and waits to be killed.
 */
public final class ServersInAChildJvm {

  public static void main(String[] args) throws Exception {
    KafkaEndpoint kafka = EmbeddedKafka.start(new KafkaOptions(Path.of(args[0]), 0, false));
    PostgresEndpoint postgres = EmbeddedPostgres.start(new PostgresOptions(Path.of(args[1]), 0));
    KafkaClients.createTopic(kafka.bootstrapServers(), "survivors", 1);
    KafkaClients.produce(kafka.bootstrapServers(), "survivors", List.of("kept"));
    try (Connection connection =
            DriverManager.getConnection(
                postgres.jdbcUrl(), postgres.username(), postgres.password());
        Statement statement = connection.createStatement()) {
      statement.execute("CREATE TABLE survivors (name TEXT)");
      statement.execute("INSERT INTO survivors VALUES ('kept')");
    }
    System.out.println("READY");
    System.out.flush();
    Thread.currentThread().join();
  }
}
