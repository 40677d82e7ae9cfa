package io.sluice.launcher.demo;

import static org.assertj.core.api.Assertions.assertThat;

import com.standardwebhooks.Webhook;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * The demo's receiver accepts what the official Standard Webhooks library signs and refuses
 * anything else: its check is independent of the job API's signing code.
 */
class WebhookReceiverTest {
  private static final String BODY =
      "{\"type\":\"job.succeeded\",\"timestamp\":\"2026-12-05T00:00:00Z\","
          + "\"data\":{\"id\":\"job_1\",\"status\":\"succeeded\"}}";

  @Test
  void shouldRecordAJobWhoseEventTheOfficialLibrarySignedAndRefuseATamperedOne() throws Exception {
    String secret = newSecret();
    String other = newSecret();
    long now = System.currentTimeMillis() / 1000;
    try (WebhookReceiver receiver = WebhookReceiver.start(Clock.systemUTC());
        HttpClient http = HttpClient.newHttpClient()) {
      receiver.useSecret(secret);

      int signed = post(http, receiver, "msg_1", now, new Webhook(secret).sign("msg_1", now, BODY));
      int wrongKey =
          post(http, receiver, "msg_2", now, new Webhook(other).sign("msg_2", now, BODY));
      int rotation =
          post(
              http,
              receiver,
              "msg_3",
              now,
              new Webhook(other).sign("msg_3", now, BODY)
                  + " "
                  + new Webhook(secret).sign("msg_3", now, BODY));
      int garbage = post(http, receiver, "msg_4", now, "v1,%%%");

      assertThat(signed).isEqualTo(204);
      assertThat(wrongKey).isEqualTo(400);
      assertThat(rotation).isEqualTo(204);
      assertThat(garbage).isEqualTo(400);
      assertThat(receiver.firstArrivals()).containsOnlyKeys("job_1");
      assertThat(receiver.deliveries()).isEqualTo(4);
      assertThat(receiver.unverified()).isEqualTo(2);
    }
  }

  private static int post(
      HttpClient http, WebhookReceiver receiver, String id, long timestamp, String signature)
      throws Exception {
    return http.send(
            HttpRequest.newBuilder(receiver.url())
                .header("webhook-id", id)
                .header("webhook-timestamp", Long.toString(timestamp))
                .header("webhook-signature", signature)
                .POST(HttpRequest.BodyPublishers.ofString(BODY))
                .build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  private static String newSecret() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return "whsec_" + Base64.getEncoder().encodeToString(key);
  }
}
