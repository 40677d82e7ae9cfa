package io.sluice.embedded;

import static io.sluice.embedded.KafkaClients.consume;
import static io.sluice.embedded.KafkaClients.consumerConfig;
import static io.sluice.embedded.KafkaClients.createTopic;
import static io.sluice.embedded.KafkaClients.produce;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class EmbeddedKafkaRestartTest {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaRestartTest.class);

  @TempDir Path dataDir;

  @Test
  void shouldKeepTopicsRecordsAndCommittedOffsetsAcrossARestartOnTheSameDataDir() throws Exception {
    String topic = "sluice.jobs.submitted";
    String group = "dispatcher";
    try (KafkaEndpoint first = timedStart("first")) {
      createTopic(first.bootstrapServers(), topic, 2);
      produce(first.bootstrapServers(), topic, List.of("one", "two", "three"));
      consume(consumerConfig(first.bootstrapServers(), group), topic, 3);
    }

    try (KafkaEndpoint second = timedStart("restart")) {
      String bootstrap = second.bootstrapServers();
      assertThat(topics(bootstrap)).contains(topic);
      assertThat(consume(consumerConfig(bootstrap, "fresh"), topic, 3))
          .containsExactlyInAnyOrder("one", "two", "three");
      assertThat(committedRecords(bootstrap, group)).isEqualTo(3);
    }
  }

  private KafkaEndpoint timedStart(String label) {
    long started = System.nanoTime();
    KafkaEndpoint kafka = EmbeddedKafka.start(new KafkaOptions(dataDir, 0, false));
    log.info("Kafka {} start took {} ms", label, (System.nanoTime() - started) / 1_000_000);
    return kafka;
  }

  private static Admin admin(String bootstrap) {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
  }

  private static java.util.Set<String> topics(String bootstrap) throws Exception {
    try (Admin admin = admin(bootstrap)) {
      return admin.listTopics().names().get();
    }
  }

  private static long committedRecords(String bootstrap, String group) throws Exception {
    try (Admin admin = admin(bootstrap)) {
      Map<TopicPartition, OffsetAndMetadata> offsets =
          admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
      return offsets.values().stream().mapToLong(OffsetAndMetadata::offset).sum();
    }
  }

  @Test
  void shouldGiveALaunchedBrokersAddressAtOnceAndServeClientsBuiltBeforeItStarted()
      throws Exception {
    String topic = "sluice.tasks.openai.standard";
    try (StartingKafka starting = EmbeddedKafka.launch(new KafkaOptions(dataDir, 0, false))) {
      String bootstrap = starting.bootstrapServers();
      assertThat(bootstrap).startsWith("127.0.0.1:");
      try (Admin early = admin(bootstrap)) { // built while the broker may still be starting
        KafkaEndpoint started = starting.awaitStarted(java.time.Duration.ofMinutes(1));

        assertThat(started.bootstrapServers()).isEqualTo(bootstrap);
        early
            .createTopics(List.of(new org.apache.kafka.clients.admin.NewTopic(topic, 1, (short) 1)))
            .all()
            .get();
        assertThat(early.listTopics().names().get()).contains(topic);
      }
    }
    try (KafkaEndpoint again = timedStart("after launch")) {
      assertThat(topics(again.bootstrapServers())).contains(topic);
    }
  }
}
