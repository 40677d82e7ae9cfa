package io.sluice.jobapi;

import io.sluice.jobapi.webhook.WebhookSettings;
import java.time.Duration;

/**
 * A job-api with webhooks in its own process, for {@link WebhookKillTest}: projects job events (and
 * so writes deliveries), sends them when {@code sender=on} (3 s timeout, 4 s lease), prints {@code
 * READY <url>} and runs until it is killed.
 *
 * <p>Arguments: jdbcUrl dbUser dbPassword kafkaBootstrap topicPrefix webhookSecretKey sender=on|off
 */
public final class WebhookApiProcessMain {
  private WebhookApiProcessMain() {}

  public static void main(String[] args) throws InterruptedException {
    WebhookSettings webhooks =
        WebhookFixture.local()
            .withSecretKey(args[5])
            .withTimeouts(Duration.ofSeconds(3), Duration.ofSeconds(4))
            .withSenderEnabled(args[6].equals("sender=on"));
    JobApi api =
        JobApi.start(
            JobApiSettings.builder()
                .httpHost("127.0.0.1")
                .jdbcUrl(args[0])
                .dbUser(args[1])
                .dbPassword(args[2])
                .dbPoolSize(2)
                .kafkaBootstrap(args[3])
                .topicPrefix(args[4])
                .topicPartitions(2)
                .outboxRelayEnabled(false)
                .idempotencyPurgeInterval(Duration.ZERO)
                .webhooks(webhooks)
                .build());
    System.out.println("READY " + api.url());
    System.out.flush();
    Thread.currentThread().join();
  }
}
