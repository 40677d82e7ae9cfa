package io.sluice.schemas.topic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.embedded.KafkaEndpoint;
import io.sluice.embedded.TestInfrastructure;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Topic creation on a real broker: the missing ones, and co-partitioned ones after their peer. */
class TopicProvisionerTest {
  private static KafkaEndpoint kafka;
  private static Admin admin;

  @BeforeAll
  static void connect() {
    kafka = TestInfrastructure.kafka();
    admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers()));
  }

  @AfterAll
  static void close() {
    admin.close();
  }

  /**
   * The topic's partition count once the broker's metadata has it (a topic just created may still
   * be unknown to the describe for a moment).
   */
  private static int partitions(String topic) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .ignoreExceptions()
        .until(
            () ->
                admin
                    .describeTopics(List.of(topic))
                    .allTopicNames()
                    .get()
                    .get(topic)
                    .partitions()
                    .size(),
            count -> count > 0);
  }

  @Test
  void shouldCreateOnlyTheMissingTopicsWithTheConfiguredPartitions() throws Exception {
    String existing = TestInfrastructure.uniqueName("existing");
    String missing = TestInfrastructure.uniqueName("missing");
    admin.createTopics(List.of(new NewTopic(existing, 2, (short) 1))).all().get();

    new TopicProvisioner(kafka.bootstrapServers(), 5, (short) 1).ensure(List.of(existing, missing));

    assertThat(partitions(existing)).isEqualTo(2);
    assertThat(partitions(missing)).isEqualTo(5);
  }

  @Test
  void shouldCreateACoPartitionedTopicWithItsPeersCountNotTheConfiguredOne() throws Exception {
    String results = TestInfrastructure.uniqueName("results");
    String control = TestInfrastructure.uniqueName("control");
    admin.createTopics(List.of(new NewTopic(results, 3, (short) 1))).all().get();
    TopicProvisioner provisioner = new TopicProvisioner(kafka.bootstrapServers(), 8, (short) 1);

    TopicProvisioner.CoPartitioning first = provisioner.ensureCoPartitioned(control, results);
    TopicProvisioner.CoPartitioning again = provisioner.ensureCoPartitioned(control, results);

    assertThat(partitions(control)).isEqualTo(3);
    assertThat(first.matches()).isTrue();
    assertThat(again).isEqualTo(first);
  }

  @Test
  void shouldReportAnExistingCoPartitionedTopicWithAnotherCountAndLeaveIt() throws Exception {
    String results = TestInfrastructure.uniqueName("results");
    String control = TestInfrastructure.uniqueName("control");
    admin
        .createTopics(
            List.of(new NewTopic(results, 3, (short) 1), new NewTopic(control, 2, (short) 1)))
        .all()
        .get();

    TopicProvisioner.CoPartitioning partitioning =
        new TopicProvisioner(kafka.bootstrapServers(), 8, (short) 1)
            .ensureCoPartitioned(control, results);

    assertThat(partitioning.matches()).isFalse();
    assertThat(partitioning.mismatch())
        .contains(control + " has 2 partitions but " + results + " has 3")
        .contains("delete it");
    assertThat(partitions(control)).isEqualTo(2);
  }
}
