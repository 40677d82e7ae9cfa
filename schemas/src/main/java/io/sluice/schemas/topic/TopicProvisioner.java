package io.sluice.schemas.topic;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Creates the topics a component needs, if they do not exist yet. Every component calls it at start
 * for the topics it reads or writes, so the order in which components start does not matter. The
 * one home of co-partitioning ({@link #ensureCoPartitioned}): a topic read together with another,
 * keyed alike, is created with the other's partition count by whichever component comes first.
 */
public final class TopicProvisioner {
  /** How long a topic just created (here or by a component starting beside) may stay unseen. */
  static final Duration VISIBLE_WITHIN = Duration.ofSeconds(30);

  private static final Duration VISIBLE_POLL = Duration.ofMillis(20);

  private final String bootstrapServers;
  private final int partitions;
  private final short replicationFactor;
  private final Map<String, ?> clientProperties;

  /**
   * @param bootstrapServers the Kafka cluster
   * @param partitions partitions of each new topic
   * @param replicationFactor replicas of each new topic (1 on a one-node cluster; -1 for the
   *     cluster's {@code default.replication.factor})
   */
  public TopicProvisioner(String bootstrapServers, int partitions, short replicationFactor) {
    this(bootstrapServers, partitions, replicationFactor, Map.of());
  }

  /**
   * @param clientProperties further admin client settings (security, client ID), or none
   */
  public TopicProvisioner(
      String bootstrapServers,
      int partitions,
      short replicationFactor,
      Map<String, ?> clientProperties) {
    this.bootstrapServers = bootstrapServers;
    this.partitions = partitions;
    this.replicationFactor = replicationFactor;
    this.clientProperties = Map.copyOf(clientProperties);
  }

  /**
   * Two topics read together, keyed alike: their partition counts.
   *
   * @param topic the topic ensured
   * @param partitions its partition count
   * @param like the topic it must match
   * @param likePartitions that topic's partition count
   */
  public record CoPartitioning(String topic, int partitions, String like, int likePartitions) {

    /** Whether a key's records of both topics land in the same partition number. */
    public boolean matches() {
      return partitions == likePartitions;
    }

    /** What is wrong and how to mend it, for a warning or a refusal to start. */
    public String mismatch() {
      return "topic "
          + topic
          + " has "
          + partitions
          + " partitions but "
          + like
          + " has "
          + likePartitions
          + "; they are read together and must match: stop the components that use "
          + topic
          + ", delete it and start them again (it is recreated with "
          + likePartitions
          + ")";
    }
  }

  /**
   * Creates {@code topic}, if it is missing, with as many partitions as {@code like}, and waits
   * until both are visible with a leader for every partition (a topic just created, here or by a
   * component starting beside, may not be known to every broker yet, and Kafka Streams fails its
   * first rebalance on a source topic its metadata does not know). An existing {@code topic} is
   * left as it is: the answer says whether it matches.
   *
   * @throws IllegalStateException when Kafka cannot be asked or {@code like} does not show up
   */
  public CoPartitioning ensureCoPartitioned(String topic, String like) {
    try (Admin admin = Admin.create(adminConfig())) {
      int likePartitions = whenVisible(admin, like).partitions().size();
      createIgnoringRaces(admin, List.of(new NewTopic(topic, likePartitions, replicationFactor)));
      int existing = whenVisible(admin, topic).partitions().size();
      return new CoPartitioning(topic, existing, like, likePartitions);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "cannot create topic " + topic + " on " + bootstrapServers, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topic " + topic, e);
    }
  }

  private static TopicDescription whenVisible(Admin admin, String topic)
      throws ExecutionException, InterruptedException {
    long deadline = System.nanoTime() + VISIBLE_WITHIN.toNanos();
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
            "topic " + topic + " is not visible with a leader after " + VISIBLE_WITHIN);
      }
      Thread.sleep(VISIBLE_POLL.toMillis());
    }
  }

  private Map<String, Object> adminConfig() {
    Map<String, Object> config = new HashMap<>(clientProperties);
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    return config;
  }

  /** Creates those of the named topics that are missing; existing topics are left as they are. */
  public void ensure(Collection<String> topicNames) {
    try (Admin admin = Admin.create(adminConfig())) {
      Set<String> existing = admin.listTopics().names().get();
      List<NewTopic> missing =
          topicNames.stream()
              .distinct()
              .filter(name -> !existing.contains(name))
              .map(name -> new NewTopic(name, partitions, replicationFactor))
              .toList();
      createIgnoringRaces(admin, missing);
    } catch (ExecutionException e) {
      throw new IllegalStateException(
          "cannot create topics " + topicNames + " on " + bootstrapServers, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while creating topics", e);
    }
  }

  private static void createIgnoringRaces(Admin admin, List<NewTopic> missing)
      throws InterruptedException, ExecutionException {
    for (var result : admin.createTopics(missing).values().values()) {
      try {
        result.get();
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof TopicExistsException)) {
          throw e;
        }
      }
    }
  }
}
