package io.sluice.jobapi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.egress.EgressRules;
import io.sluice.jobapi.webhook.RetrySchedule;
import io.sluice.jobapi.webhook.WebhookSettings;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class WebhookSettingsTest {
  private static JobApiSettings.Builder valid() {
    return JobApiSettings.builder()
        .jdbcUrl("jdbc:postgresql://localhost:5432/sluice")
        .dbUser("sluice")
        .kafkaBootstrap("localhost:9092");
  }

  @Test
  void shouldLeaveWebhooksOffWithoutAKeyAndSendOnlyToPublicHttpsByDefault() {
    WebhookSettings webhooks = valid().build().webhooks();

    assertThat(webhooks.enabled()).isFalse();
    assertThat(webhooks.egress()).isEqualTo(EgressRules.publicHttpsOnly());
    assertThat(webhooks.timeout()).isEqualTo(Duration.ofSeconds(15));
    assertThat(webhooks.rotationGrace()).isEqualTo(Duration.ofHours(24));
    assertThat(webhooks.schedule()).isEqualTo(RetrySchedule.STANDARD);
  }

  @Test
  void shouldTurnWebhooksOnWithAKeyAndNeverPrintIt() {
    String key = WebhookFixture.newKey();

    JobApiSettings settings = valid().webhookSecretKey(key).build();

    assertThat(settings.webhooks().enabled()).isTrue();
    assertThat(settings.toString()).doesNotContain(key).contains("secretKey=***");
  }

  @Test
  void shouldNameEveryBadWebhookSetting() {
    assertThatThrownBy(
            () ->
                valid()
                    .webhooks(
                        WebhookSettings.defaults()
                            .withSecretKey("c2hvcnQ=")
                            .withTimeouts(Duration.ofSeconds(15), Duration.ofSeconds(10))
                            .withConcurrency(4, 8))
                    .build())
        .isInstanceOfSatisfying(
            InvalidSettingsException.class,
            e ->
                assertThat(e.problems())
                    .hasSize(3)
                    .anyMatch(p -> p.startsWith("webhooks.secretKey"))
                    .anyMatch(p -> p.startsWith("webhooks.lease"))
                    .anyMatch(p -> p.startsWith("webhooks.endpointConcurrency"))
                    .noneMatch(p -> p.contains("c2hvcnQ=")));
  }
}
