package io.sluice.jobapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class JobApiSettingsTest {
  private static JobApiSettings.Builder valid() {
    return JobApiSettings.builder()
        .jdbcUrl("jdbc:postgresql://localhost:5432/sluice")
        .dbUser("sluice")
        .dbPassword("s3cret-password")
        .kafkaBootstrap("localhost:9092");
  }

  @Test
  void shouldApplyNamedDefaults() {
    JobApiSettings settings = valid().build();

    assertThat(settings.httpPort()).isZero();
    assertThat(settings.topicPrefix()).isEqualTo("sluice");
    assertThat(settings.maxBodyBytes()).isEqualTo(1024 * 1024);
    assertThat(settings.idempotencyRetention()).isEqualTo(Duration.ofHours(24));
    assertThat(settings.eventsConsumerGroup()).isEqualTo("sluice.job-api");
    assertThat(settings.kafkaClientId()).isEqualTo("sluice-job-api");
    assertThat(settings.models().names()).contains("gpt-4o-mini");
    assertThat(settings.outboxRelayEnabled()).isTrue();
  }

  @Test
  void shouldDeriveEveryKafkaIdentityFromTheTopicPrefix() {
    JobApiSettings staging = valid().topicPrefix("staging").build();
    JobApiSettings explicit =
        valid().topicPrefix("staging").eventsConsumerGroup("jobs-projection").build();

    assertThat(staging.eventsConsumerGroup()).isEqualTo("staging.job-api");
    assertThat(staging.kafkaClientId()).isEqualTo("staging-job-api");
    assertThat(staging.eventsConsumerGroup()).isNotEqualTo(valid().build().eventsConsumerGroup());
    assertThat(explicit.eventsConsumerGroup()).isEqualTo("jobs-projection");
  }

  @Test
  void shouldNameEveryBadSetting() {
    assertThatThrownBy(
            () ->
                valid()
                    .httpPort(70000)
                    .jdbcUrl("jdbc:mysql://x/y")
                    .kafkaBootstrap("no port")
                    .topicPrefix("bad prefix!")
                    .maxBodyBytes(10)
                    .idempotencyRetention(Duration.ofHours(1))
                    .build())
        .isInstanceOfSatisfying(
            InvalidSettingsException.class,
            e ->
                assertThat(e.problems())
                    .hasSize(6)
                    .anyMatch(p -> p.startsWith("httpPort"))
                    .anyMatch(p -> p.startsWith("jdbcUrl"))
                    .anyMatch(p -> p.startsWith("kafkaBootstrap"))
                    .anyMatch(p -> p.startsWith("topicPrefix"))
                    .anyMatch(p -> p.startsWith("maxBodyBytes"))
                    .anyMatch(p -> p.startsWith("idempotencyRetention")));
  }

  @Test
  void shouldRequireTheConnectionSettings() {
    assertThatThrownBy(() -> JobApiSettings.builder().build())
        .isInstanceOf(InvalidSettingsException.class)
        .hasMessageContaining("jdbcUrl")
        .hasMessageContaining("dbUser")
        .hasMessageContaining("kafkaBootstrap");
  }

  @Test
  void shouldNeverPrintThePassword() {
    JobApiSettings settings = valid().build();

    assertThat(settings.toString()).doesNotContain("s3cret-password").contains("dbPassword=***");
  }

  @Test
  void shouldKeepEverySettingThroughToBuilder() {
    JobApiSettings settings =
        valid().httpPort(8080).topicPrefix("t1").outboxRelayEnabled(false).build();

    assertThat(settings.toBuilder().build()).isEqualTo(settings);
  }
}
