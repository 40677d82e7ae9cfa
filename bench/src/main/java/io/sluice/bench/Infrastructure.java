package io.sluice.bench;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.sluice.embedded.EmbeddedKafka;
import io.sluice.embedded.EmbeddedPostgres;
import io.sluice.embedded.KafkaEndpoint;
import io.sluice.embedded.KafkaOptions;
import io.sluice.embedded.PostgresEndpoint;
import io.sluice.embedded.PostgresOptions;
import io.sluice.jobapi.JobApiSettings;
import io.sluice.ratelimit.postgres.PostgresLimitStore;
import io.sluice.schemas.model.ModelCatalog;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The benchmark's own Kafka broker and PostgreSQL server (embedded, throwaway directories), started
 * once per invocation; scenarios are isolated by topic prefix and limit account.
 */
final class Infrastructure implements AutoCloseable {
  final KafkaEndpoint kafka;
  final PostgresEndpoint postgres;

  private Infrastructure(KafkaEndpoint kafka, PostgresEndpoint postgres) {
    this.kafka = kafka;
    this.postgres = postgres;
  }

  static Infrastructure start() {
    try {
      Path home = Files.createTempDirectory("sluice-bench");
      KafkaEndpoint kafka = EmbeddedKafka.start(new KafkaOptions(home.resolve("kafka"), 0, true));
      PostgresEndpoint postgres =
          EmbeddedPostgres.start(new PostgresOptions(home.resolve("postgres"), 0, true));
      Infrastructure infrastructure = new Infrastructure(kafka, postgres);
      infrastructure.migrateLimitStore();
      return infrastructure;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the benchmark's data directory", e);
    }
  }

  private void migrateLimitStore() {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(postgres.jdbcUrl());
    config.setUsername(postgres.username());
    config.setPassword(postgres.password());
    config.setMaximumPoolSize(3);
    try (HikariDataSource dataSource = new HikariDataSource(config)) {
      new PostgresLimitStore(dataSource).migrate();
    }
  }

  /**
   * job-api on this infrastructure as the benchmarks run it: loopback on a free port, one replica
   * per topic, topics under {@code topicPrefix}.
   */
  JobApiSettings.Builder jobApi(String topicPrefix, ModelCatalog models) {
    return JobApiSettings.builder()
        .httpHost("127.0.0.1")
        .httpPort(0)
        .jdbcUrl(postgres.jdbcUrl())
        .dbUser(postgres.username())
        .dbPassword(postgres.password())
        .kafkaBootstrap(kafka.bootstrapServers())
        .topicPrefix(topicPrefix)
        .topicReplicationFactor((short) 1)
        .models(models);
  }

  @Override
  public void close() throws Exception {
    kafka.close();
    postgres.close();
  }
}
