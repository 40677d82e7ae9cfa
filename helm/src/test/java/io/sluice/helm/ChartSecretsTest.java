package io.sluice.helm;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** Passwords and API keys given as values end up in the Secret only, never in plain text. */
class ChartSecretsTest {
  private static final Map<String, Object> SECRETS =
      Map.of(
          "secrets.jdbcPassword", "db-password-4711",
          "secrets.webhookSecretKey", "d2ViaG9vay1rZXktNDcxMS0wMTIzNDU2Nzg5YWJjZGU=",
          "providers.openai.apiKey", "sk-openai-4711",
          "providers.anthropic.apiKey", "sk-ant-4711",
          "providers.gemini.apiKey", "gemini-4711");

  @Test
  void secretValuesAreInTheSecretAndInNoOtherObject() {
    Manifests manifests = Chart.render(null, SECRETS);
    JsonMapper json = JsonMapper.builder().build();

    Secret secret = manifests.named(Secret.class, Chart.RELEASE);
    for (Object value : SECRETS.values()) {
      assertThat(secret.getData().values()).contains(base64((String) value));
      for (HasMetadata object : manifests.all()) {
        if (!(object instanceof Secret)) {
          assertThat(json.writeValueAsString(object))
              .as(object.getKind() + " " + object.getMetadata().getName())
              .doesNotContain((String) value);
        }
      }
    }
  }

  @Test
  void noConfigMapHasAKeyNamedLikeASecret() {
    Manifests manifests = Chart.render(Chart.PRODUCTION_VALUES, SECRETS);

    for (ConfigMap configMap : manifests.all(ConfigMap.class)) {
      assertThat(configMap.getData().keySet())
          .noneMatch(
              key ->
                  key.matches(
                      "SLUICE_JDBC_PASSWORD|SLUICE_PROVIDER_.*_API_KEY|SLUICE_WEBHOOK_SECRET_KEY"));
    }
  }

  private static String base64(String value) {
    return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
  }
}
