package io.sluice.launcher.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.egress.EgressRules;
import io.sluice.jobapi.webhook.WebhookSettings;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code sluice serve job-api} reads its webhook settings from SLUICE_WEBHOOK_*. */
class WebhookEnvironmentTest {
  private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);

  @Test
  void shouldLeaveWebhooksOffAndHttpsToPublicAddressesOnlyByDefault() {
    WebhookSettings settings = ServeCommand.webhookSettings(new Environment(Map.of()));

    assertThat(settings.enabled()).isFalse();
    assertThat(settings.egress()).isEqualTo(EgressRules.publicHttpsOnly());
    assertThat(settings.senderEnabled()).isTrue();
  }

  @Test
  void shouldTurnWebhooksOnWithTheKeyAndTheOperatorsAllowList() {
    Map<String, String> env = new HashMap<>();
    env.put("SLUICE_WEBHOOK_SECRET_KEY", KEY);
    env.put("SLUICE_WEBHOOK_ALLOW_PLAIN_HTTP", "true");
    env.put("SLUICE_WEBHOOK_ALLOW_LIST", "10.1.0.0/16, hooks.internal");
    env.put("SLUICE_WEBHOOK_SENDER", "false");

    WebhookSettings settings = ServeCommand.webhookSettings(new Environment(env));

    assertThat(settings.enabled()).isTrue();
    assertThat(settings.egress().allowPlainHttp()).isTrue();
    assertThat(settings.egress().allowList()).containsExactly("10.1.0.0/16", "hooks.internal");
    assertThat(settings.senderEnabled()).isFalse();
  }

  @Test
  void shouldNameTheVariableOfABadKeyOrAllowListWithoutQuotingTheKey() {
    Map<String, String> env = new HashMap<>();
    env.put("SLUICE_KAFKA_BOOTSTRAP", "kafka:9092");
    env.put("SLUICE_JDBC_URL", "jdbc:postgresql://db/sluice");
    env.put("SLUICE_WEBHOOK_SECRET_KEY", "not-a-key-but-secret");
    env.put("SLUICE_WEBHOOK_ALLOW_LIST", "10.0.0.0/99");

    assertThatThrownBy(() -> ServeCommand.jobApiSettings(new Environment(env)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SLUICE_WEBHOOK_SECRET_KEY")
        .hasMessageContaining("SLUICE_WEBHOOK_ALLOW_LIST")
        .hasMessageNotContaining("not-a-key-but-secret");
  }

  @Test
  void shouldReadTheRetentionInDaysAsServeHelpWritesIt() {
    Map<String, String> env = new HashMap<>();
    env.put("SLUICE_WEBHOOK_SECRET_KEY", KEY);
    env.put("SLUICE_WEBHOOK_RETENTION", "30d");

    WebhookSettings settings = ServeCommand.webhookSettings(new Environment(env));

    assertThat(settings.retention()).isEqualTo(java.time.Duration.ofDays(30));
  }
}
