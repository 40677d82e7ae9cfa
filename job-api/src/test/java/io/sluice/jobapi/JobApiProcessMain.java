package io.sluice.jobapi;

import java.time.Duration;

/**
 * A job-api in its own process, for {@link ApiKillTest}: starts on the given database and topics,
 * prints {@code READY <url>} and runs until it is killed. With {@code relay=off} its outbox relay
 * does not run (every job it commits is still unpublished when it is killed); with {@code relay=on}
 * it publishes and deletes outbox rows as a production instance does.
 *
 * <p>Arguments: jdbcUrl dbUser dbPassword kafkaBootstrap topicPrefix relay=on|off
 */
public final class JobApiProcessMain {
  private JobApiProcessMain() {}

  public static void main(String[] args) throws InterruptedException {
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
                .outboxRelayEnabled(args[5].equals("relay=on"))
                .eventsConsumerEnabled(false)
                .outboxPollInterval(Duration.ofMillis(200))
                .build());
    System.out.println("READY " + api.url());
    System.out.flush();
    Thread.currentThread().join();
  }
}
