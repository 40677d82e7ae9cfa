package io.sluice.embedded;

import static io.sluice.embedded.KafkaClients.consume;
import static io.sluice.embedded.KafkaClients.consumerConfig;
import static io.sluice.embedded.KafkaClients.createTopic;
import static io.sluice.embedded.KafkaClients.produce;
import static io.sluice.embedded.KafkaClients.producerConfig;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaTest {

  private final String bootstrap = TestInfrastructure.kafka().bootstrapServers();

  @Test
  void shouldDeliverProducedRecordsToAConsumerGroup() {
    String topic = TestInfrastructure.uniqueName("plain");
    createTopic(bootstrap, topic, 3);
    List<String> sent = IntStream.range(0, 20).mapToObj(i -> "record-" + i).toList();

    produce(bootstrap, topic, sent);

    List<String> received =
        consume(consumerConfig(bootstrap, TestInfrastructure.uniqueName("group")), topic, 20);
    assertThat(received).containsExactlyInAnyOrderElementsOf(sent);
  }

  @Test
  void shouldGiveAShareConsumerRecordsProducedBeforeItSubscribed() throws Exception {
    String topic = TestInfrastructure.uniqueName("shared");
    String group = TestInfrastructure.uniqueName("share_group");
    createTopic(bootstrap, topic, 2);
    produce(bootstrap, topic, List.of("a", "b", "c"));
    readShareGroupFromEarliest(group);

    List<String> received = new ArrayList<>();
    try (KafkaShareConsumer<String, String> consumer =
        new KafkaShareConsumer<>(shareConfig(group))) {
      consumer.subscribe(List.of(topic));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                for (ConsumerRecord<String, String> record :
                    consumer.poll(Duration.ofMillis(200))) {
                  received.add(record.value());
                  consumer.acknowledge(record, AcknowledgeType.ACCEPT);
                }
                consumer.commitSync();
                return received.size() >= 3;
              });
    }

    assertThat(received).containsExactlyInAnyOrder("a", "b", "c");
  }

  @Test
  void shouldShowCommittedTransactionsToReadCommittedConsumers() {
    String topic = TestInfrastructure.uniqueName("tx");
    createTopic(bootstrap, topic, 1);
    Map<String, Object> config = producerConfig(bootstrap);
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, TestInfrastructure.uniqueName("txid"));

    try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, "k", "committed-1"));
      producer.send(new ProducerRecord<>(topic, "k", "committed-2"));
      producer.commitTransaction();
    }

    Map<String, Object> consumer = consumerConfig(bootstrap, TestInfrastructure.uniqueName("g"));
    consumer.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    assertThat(consume(consumer, topic, 2)).containsExactly("committed-1", "committed-2");
  }

  @Test
  void shouldRunTheSharedBrokerWithFastShareGroupTimings() throws Exception {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      ConfigResource group =
          new ConfigResource(ConfigResource.Type.GROUP, TestInfrastructure.uniqueName("fast"));
      AlterConfigOp oneSecondLocks =
          new AlterConfigOp(
              new ConfigEntry("share.record.lock.duration.ms", "1000"), AlterConfigOp.OpType.SET);
      admin.incrementalAlterConfigs(Map.of(group, List.of(oneSecondLocks))).all().get();

      Config groupConfig = admin.describeConfigs(List.of(group)).all().get().get(group);
      assertThat(groupConfig.get("share.record.lock.duration.ms").value()).isEqualTo("1000");
      assertThat(groupConfig.get("share.heartbeat.interval.ms").value()).isEqualTo("1000");
      assertThat(groupConfig.get("share.session.timeout.ms").value()).isEqualTo("6000");
    }
  }

  private void readShareGroupFromEarliest(String group) throws Exception {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      ConfigResource resource = new ConfigResource(ConfigResource.Type.GROUP, group);
      AlterConfigOp earliest =
          new AlterConfigOp(
              new ConfigEntry("share.auto.offset.reset", "earliest"), AlterConfigOp.OpType.SET);
      admin.incrementalAlterConfigs(Map.of(resource, List.of(earliest))).all().get();
    }
  }

  private Map<String, Object> shareConfig(String group) {
    Map<String, Object> config = consumerConfig(bootstrap, group);
    config.remove(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG);
    config.put("share.acknowledgement.mode", "explicit");
    return config;
  }
}
