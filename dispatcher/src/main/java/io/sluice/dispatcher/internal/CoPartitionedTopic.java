package io.sluice.dispatcher.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * A topic of the dispatcher's own that one sub-topology reads together with another topic, keyed
 * alike: it must have as many partitions, so that a job's records of both land in the same stream
 * task (and its state stores).
 */
public final class CoPartitionedTopic {
  private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration METADATA_POLL = Duration.ofMillis(20);

  private CoPartitionedTopic() {}

  /**
   * Creates {@code topic} with as many partitions as {@code like} if it is missing.
   *
   * @throws IllegalStateException if it exists with another number of partitions
   */
  public static void ensure(
      String bootstrapServers, String topic, String like, short replicationFactor) {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      int partitions = whenVisible(admin, like).partitions().size();
      if (created(admin, new NewTopic(topic, partitions, replicationFactor))) {
        whenVisible(admin, topic);
        return;
      }
      int existing = whenVisible(admin, topic).partitions().size();
      if (existing != partitions) {
        throw new IllegalStateException(
            "topic "
                + topic
                + " has "
                + existing
                + " partitions but "
                + like
                + " has "
                + partitions
                + "; they must match. Stop the dispatcher, delete "
                + topic
                + " and start it again: it is recreated");
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "cannot create topic " + topic + " on " + bootstrapServers, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topic " + topic, e);
    }
  }

  /**
   * The topic's description once the brokers' metadata shows it with a leader for every partition:
   * a topic just created (by this process or by another component starting at the same time) may
   * not be known to every broker yet, and Kafka Streams fails its first rebalance on a source topic
   * its metadata does not know.
   */
  private static TopicDescription whenVisible(Admin admin, String topic)
      throws ExecutionException, InterruptedException {
    long deadline = System.nanoTime() + METADATA_TIMEOUT.toNanos();
    while (true) {
      try {
        TopicDescription description =
            admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
        if (description.partitions().stream().allMatch(partition -> partition.leader() != null)) {
          return description;
        }
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
          throw e;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "topic " + topic + " is not visible with a leader after " + METADATA_TIMEOUT);
      }
      Thread.sleep(METADATA_POLL.toMillis());
    }
  }

  /** Creates the topic; false if it exists already. */
  private static boolean created(Admin admin, NewTopic topic)
      throws ExecutionException, InterruptedException {
    try {
      admin.createTopics(List.of(topic)).all().get();
      return true;
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw e;
      }
      return false;
    }
  }
}
