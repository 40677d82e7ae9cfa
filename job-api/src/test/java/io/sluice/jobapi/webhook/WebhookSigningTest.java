package io.sluice.jobapi.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Sluice's signatures checked by the official Standard Webhooks library, not by Sluice. */
class WebhookSigningTest {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String BODY = "{\"type\":\"job.succeeded\",\"data\":{\"id\":\"job_1\"}}";

  private static Map<String, List<String>> headers(SigningKeys keys, Instant now) {
    return WebhookSigner.headers(
            "msg_1",
            now.getEpochSecond(),
            BODY.getBytes(StandardCharsets.UTF_8),
            keys.signingAt(now))
        .entrySet()
        .stream()
        .collect(Collectors.toMap(Map.Entry::getKey, e -> List.of(e.getValue())));
  }

  private static void verify(WebhookSecret secret, Map<String, List<String>> headers)
      throws Exception {
    new Webhook(secret.written()).verify(BODY, headers);
  }

  @Test
  void shouldSignSoThatTheStandardWebhooksLibraryVerifies() throws Exception {
    WebhookSecret secret = WebhookSecret.generate(RANDOM);

    verify(secret, headers(SigningKeys.of(secret), Instant.now()));
  }

  @Test
  void shouldWriteSecretsAsWhsecAndBase64OfRandomBytes() {
    String written = WebhookSecret.generate(RANDOM).written();

    assertThat(written).startsWith("whsec_");
    assertThat(Base64.getDecoder().decode(written.substring(6))).hasSizeBetween(24, 64);
    assertThat(WebhookSecret.generate(RANDOM).written()).isNotEqualTo(written);
    assertThat(WebhookSecret.generate(RANDOM).toString()).doesNotContain("whsec_");
  }

  @Test
  void shouldSignWithBothSecretsDuringTheGracePeriodAndEachVerifies() throws Exception {
    Instant now = Instant.now();
    WebhookSecret old = WebhookSecret.generate(RANDOM);
    WebhookSecret fresh = WebhookSecret.generate(RANDOM);
    SigningKeys rotated = SigningKeys.of(old).rotate(fresh, now, Duration.ofHours(24));

    Map<String, List<String>> headers = headers(rotated, now);

    assertThat(headers.get("webhook-signature").getFirst().split(" ")).hasSize(2);
    verify(old, headers);
    verify(fresh, headers);
  }

  @Test
  void shouldSignWithOnlyTheNewSecretAfterTheGracePeriod() throws Exception {
    Instant now = Instant.now();
    WebhookSecret old = WebhookSecret.generate(RANDOM);
    WebhookSecret fresh = WebhookSecret.generate(RANDOM);
    SigningKeys rotated =
        SigningKeys.of(old).rotate(fresh, now.minus(Duration.ofHours(25)), Duration.ofHours(24));

    Map<String, List<String>> headers = headers(rotated, now);

    assertThat(headers.get("webhook-signature").getFirst().split(" ")).hasSize(1);
    verify(fresh, headers);
    assertThatThrownBy(() -> verify(old, headers)).isInstanceOf(WebhookVerificationException.class);
  }

  @Test
  void shouldRefuseABodyChangedAfterSigning() throws Exception {
    WebhookSecret secret = WebhookSecret.generate(RANDOM);
    Map<String, List<String>> headers = headers(SigningKeys.of(secret), Instant.now());
    Webhook receiver = new Webhook(secret.written());

    assertThatThrownBy(() -> receiver.verify(BODY + " ", headers))
        .isInstanceOf(WebhookVerificationException.class);
  }

  @Test
  void shouldEncryptSecretsSoOnlyTheKeyAndTheOwnerOpenThem() {
    byte[] key = new byte[32];
    RANDOM.nextBytes(key);
    SecretCipher cipher = new SecretCipher(key, RANDOM);
    WebhookSecret secret = WebhookSecret.generate(RANDOM);

    byte[] sealed = cipher.encrypt(secret, "we_1");

    assertThat(cipher.decrypt(sealed, "we_1")).isEqualTo(secret);
    assertThat(new String(sealed, StandardCharsets.ISO_8859_1))
        .doesNotContain(new String(secret.bytes(), StandardCharsets.ISO_8859_1));
    assertThatThrownBy(() -> cipher.decrypt(sealed, "we_2"))
        .isInstanceOf(IllegalStateException.class);
    byte[] otherKey = key.clone();
    otherKey[0] ^= 1;
    assertThatThrownBy(() -> new SecretCipher(otherKey, RANDOM).decrypt(sealed, "we_1"))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageNotContaining(Base64.getEncoder().encodeToString(key));
  }
}
