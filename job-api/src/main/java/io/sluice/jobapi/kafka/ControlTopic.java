package io.sluice.jobapi.kafka;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code sluice.jobs.control}, which the dispatcher reads together with {@code task-results}, keyed
 * by job ID alike: it must have as many partitions, so that a cancel reaches the stream task that
 * holds its job. The dispatcher refuses to start when the counts differ, so job-api creates it
 * after {@code task-results}'s count, never after its own {@code topicPartitions}.
 */
public final class ControlTopic {
  private static final Logger LOG = LoggerFactory.getLogger(ControlTopic.class);
  private static final Duration METADATA_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration METADATA_POLL = Duration.ofMillis(20);

  private ControlTopic() {}

  /**
   * Creates {@code topic} with as many partitions as {@code like} (which must exist) if it is
   * missing; an existing one with another count is left as it is, with a warning.
   *
   * @throws IllegalStateException when Kafka cannot be asked or {@code like} never shows up
   */
  public static void ensure(
      String bootstrapServers, String topic, String like, short replicationFactor) {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      int partitions = partitionsOf(admin, like);
      if (created(admin, new NewTopic(topic, partitions, replicationFactor))) {
        return;
      }
      int existing = partitionsOf(admin, topic);
      if (existing != partitions) {
        LOG.warn(
            "topic {} has {} partitions but {} has {}; the dispatcher refuses to start until {}"
                + " is deleted and recreated",
            topic,
            existing,
            like,
            partitions,
            topic);
      }
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "cannot create topic " + topic + " on " + bootstrapServers, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topic " + topic, e);
    }
  }

  /** The topic's partition count, once the brokers' metadata knows it (it may be brand new). */
  private static int partitionsOf(Admin admin, String topic)
      throws ExecutionException, InterruptedException {
    long deadline = System.nanoTime() + METADATA_TIMEOUT.toNanos();
    while (true) {
      try {
        return admin
            .describeTopics(List.of(topic))
            .allTopicNames()
            .get()
            .get(topic)
            .partitions()
            .size();
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)
            || System.nanoTime() > deadline) {
          throw e;
        }
      }
      Thread.sleep(METADATA_POLL.toMillis());
    }
  }

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
