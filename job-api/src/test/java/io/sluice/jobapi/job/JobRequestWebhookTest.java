package io.sluice.jobapi.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.jobapi.idempotency.RequestFingerprint;
import io.sluice.schemas.json.Json;
import io.sluice.schemas.model.ModelCatalog;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class JobRequestWebhookTest {
  private static final String BASE =
      "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]";
  private static final WebhookUrlCheck ONLY_EXAMPLE =
      url ->
          url.getHost().equals("hooks.example.com")
              ? Optional.empty()
              : Optional.of("resolves to a private address");

  private static JobRequest parse(WebhookUrlCheck check, String json) {
    return new JobRequestParser(ModelCatalog.defaults(), Clock.systemUTC(), check)
        .parse(json.getBytes(StandardCharsets.UTF_8));
  }

  private static List<FieldError> errors(WebhookUrlCheck check, String json) {
    try {
      parse(check, json);
    } catch (InvalidJobRequestException e) {
      return e.fieldErrors();
    }
    throw new AssertionError("expected a refusal: " + json);
  }

  @Test
  void shouldReadAOneOffWebhookTheCheckAllows() {
    JobRequest request =
        parse(ONLY_EXAMPLE, BASE + ",\"webhook\":{\"url\":\"https://hooks.example.com/a\"}}");

    assertThat(request.webhookUrl()).isEqualTo("https://hooks.example.com/a");
  }

  @Test
  void shouldNameWebhookUrlWithTheChecksReason() {
    assertThat(errors(ONLY_EXAMPLE, BASE + ",\"webhook\":{\"url\":\"https://10.0.0.1/\"}}"))
        .containsExactly(new FieldError("webhook.url", "resolves to a private address"));
  }

  @Test
  void shouldRefuseMalformedWebhooks() {
    assertThat(errors(ONLY_EXAMPLE, BASE + ",\"webhook\":\"https://hooks.example.com\"}"))
        .extracting(FieldError::field)
        .containsExactly("webhook");
    assertThat(errors(ONLY_EXAMPLE, BASE + ",\"webhook\":{}}"))
        .extracting(FieldError::field)
        .containsExactly("webhook.url");
    assertThat(errors(ONLY_EXAMPLE, BASE + ",\"webhook\":{\"url\":\"/relative\"}}"))
        .extracting(FieldError::field)
        .containsExactly("webhook.url");
    assertThat(
            errors(
                ONLY_EXAMPLE,
                BASE + ",\"webhook\":{\"url\":\"https://hooks.example.com\",\"secret\":\"x\"}}"))
        .extracting(FieldError::field)
        .containsExactly("webhook.secret");
  }

  @Test
  void shouldRefuseEveryWebhookWhenWebhooksAreNotConfigured() {
    assertThatThrownBy(
            () ->
                parse(
                    WebhookUrlCheck.NONE,
                    BASE + ",\"webhook\":{\"url\":\"https://hooks.example.com/a\"}}"))
        .isInstanceOf(InvalidJobRequestException.class);
  }

  @Test
  void shouldKeepTheFingerprintOfARequestWithoutAWebhookAndTellOneWithAWebhookApart() {
    JobRequest plain = parse(ONLY_EXAMPLE, BASE + "}");
    JobRequest hooked =
        parse(ONLY_EXAMPLE, BASE + ",\"webhook\":{\"url\":\"https://hooks.example.com/a\"}}");

    // No webhook writes no field, so keys stored before webhooks existed still match.
    assertThat(Json.mapper().valueToTree(plain).has("webhook_url")).isFalse();
    assertThat(Json.mapper().valueToTree(hooked).has("webhook_url")).isTrue();
    assertThat(RequestFingerprint.of(hooked)).isNotEqualTo(RequestFingerprint.of(plain));
  }
}
