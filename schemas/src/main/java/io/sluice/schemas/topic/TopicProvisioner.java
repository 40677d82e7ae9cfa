package io.sluice.schemas.topic;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates the topics a component needs, if they do not exist yet. Every component calls it at start
 * for the topics it reads or writes, so the order in which components start does not matter.
 */
public final class TopicProvisioner {
  private final String bootstrapServers;
  private final int partitions;
  private final short replicationFactor;

  /**
   * @param bootstrapServers the Kafka cluster
   * @param partitions partitions of each new topic
   * @param replicationFactor replicas of each new topic (1 on a one-node cluster; -1 for the
   *     cluster's {@code default.replication.factor})
   */
  public TopicProvisioner(String bootstrapServers, int partitions, short replicationFactor) {
    this.bootstrapServers = bootstrapServers;
    this.partitions = partitions;
    this.replicationFactor = replicationFactor;
  }

  /** Creates those of the named topics that are missing; existing topics are left as they are. */
  public void ensure(Collection<String> topicNames) {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
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
