package io.sluice.launcher.reachability;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;

/**
 * Asks Kafka to describe its cluster, with a short timeout, through one long-lived admin client.
 */
final class KafkaProbe implements ReachabilityWatch.Probe {
  private final String bootstrapServers;
  private final Duration timeout;
  private Admin admin;

  KafkaProbe(String bootstrapServers, Duration timeout) {
    this.bootstrapServers = bootstrapServers;
    this.timeout = timeout;
  }

  @Override
  public void check() throws UnreachableException {
    int millis = (int) timeout.toMillis();
    try {
      admin()
          .describeCluster(new DescribeClusterOptions().timeoutMs(millis))
          .nodes()
          .get(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnreachableException("interrupted while checking Kafka at " + bootstrapServers);
    } catch (ExecutionException | TimeoutException e) {
      throw new UnreachableException(
          "Kafka at " + bootstrapServers + " did not answer within " + timeout.toSeconds() + " s");
    }
  }

  private synchronized Admin admin() {
    if (admin == null) {
      int millis = (int) timeout.toMillis();
      admin =
          Admin.create(
              Map.of(
                  AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                  AdminClientConfig.CLIENT_ID_CONFIG, "sluice-reachability",
                  AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, millis,
                  AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, millis,
                  AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000));
    }
    return admin;
  }

  @Override
  public synchronized void close() {
    if (admin != null) {
      admin.close(Duration.ofSeconds(1));
    }
  }
}
