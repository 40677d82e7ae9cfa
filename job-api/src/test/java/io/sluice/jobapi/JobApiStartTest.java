package io.sluice.jobapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.embedded.TestInfrastructure;
import org.junit.jupiter.api.Test;

class JobApiStartTest {
  @Test
  void shouldNameTheDatabaseSettingWhenPostgresIsUnreachable() {
    JobApiSettings settings =
        JobApiSettings.builder()
            .jdbcUrl("jdbc:postgresql://127.0.0.1:1/nothing")
            .dbUser("nobody")
            .kafkaBootstrap(TestInfrastructure.kafka().bootstrapServers())
            .build();

    assertThatThrownBy(() -> JobApi.start(settings))
        .isInstanceOf(JobApiStartException.class)
        .hasMessageContaining("jdbcUrl=jdbc:postgresql://127.0.0.1:1/nothing");
  }

  @Test
  void shouldCreateItsTablesAndTopicsAtStart() {
    try (JobApiFixture fixture = JobApiFixture.start()) {
      assertThat(
              fixture.query(
                  "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
                      + " ORDER BY table_name"))
          .flatExtracting(row -> row)
          .contains("api_keys", "idempotency_keys", "jobs", "outbox", "tenants");
      assertThat(KafkaTestClients.readAll(fixture.topics.jobsSubmitted().name())).isEmpty();
      assertThat(KafkaTestClients.readAll(fixture.topics.jobsEvents().name())).isEmpty();
      assertThat(fixture.api.url().toString()).matches("http://127\\.0\\.0\\.1:\\d+");
    }
  }

  @Test
  void shouldMigrateAnExistingDatabaseAgainWithoutChange() {
    try (JobApiFixture fixture = JobApiFixture.start()) {
      JobApiFixture.Client client = fixture.newClient();
      client.submit(JobApiFixture.VALID_BODY);
      fixture.api.close();

      fixture.api = fixture.startAnother(s -> s);

      assertThat(client.jobCount()).isEqualTo(1);
      assertThat(client.submit(JobApiFixture.VALID_BODY).statusCode()).isEqualTo(202);
    }
  }
}
