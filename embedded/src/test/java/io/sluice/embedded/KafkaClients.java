package io.sluice.embedded;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Small Kafka client fixtures for the tests of this module. */
final class KafkaClients {

  private KafkaClients() {}

  static void createTopic(String bootstrap, String topic, int partitions) {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
    } catch (InterruptedException | ExecutionException e) {
      throw new IllegalStateException("Could not create topic " + topic, e);
    }
  }

  static Map<String, Object> producerConfig(String bootstrap) {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    return config;
  }

  static Map<String, Object> consumerConfig(String bootstrap, String group) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    config.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    config.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    return config;
  }

  static void produce(String bootstrap, String topic, List<String> values) {
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerConfig(bootstrap))) {
      for (String value : values) {
        producer.send(new ProducerRecord<>(topic, value, value));
      }
      producer.flush();
    }
  }

  static void produceInTransaction(String bootstrap, String topic, String value) {
    Map<String, Object> config = producerConfig(bootstrap);
    config.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, topic + "-tx");
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(config)) {
      producer.initTransactions();
      producer.beginTransaction();
      producer.send(new ProducerRecord<>(topic, value, value));
      producer.commitTransaction();
    }
  }

  /**
   * Reads the topic as a member of a share group that starts at the earliest record, accepting
   * every record, until {@code expected} records have arrived; then leaves the group.
   */
  static List<String> shareConsume(String bootstrap, String group, String topic, int expected) {
    startShareGroupAtEarliest(bootstrap, group);
    Map<String, Object> config = consumerConfig(bootstrap, group);
    config.remove(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG);
    config.put("share.acknowledgement.mode", "explicit");
    List<String> values = new ArrayList<>();
    try (KafkaShareConsumer<String, String> consumer = new KafkaShareConsumer<>(config)) {
      consumer.subscribe(List.of(topic));
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () -> {
                for (ConsumerRecord<String, String> record :
                    consumer.poll(Duration.ofMillis(200))) {
                  values.add(record.value());
                  consumer.acknowledge(record, AcknowledgeType.ACCEPT);
                }
                consumer.commitSync();
                return values.size() >= expected;
              });
    }
    return values;
  }

  private static void startShareGroupAtEarliest(String bootstrap, String group) {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      ConfigResource resource = new ConfigResource(ConfigResource.Type.GROUP, group);
      AlterConfigOp earliest =
          new AlterConfigOp(
              new ConfigEntry("share.auto.offset.reset", "earliest"), AlterConfigOp.OpType.SET);
      admin.incrementalAlterConfigs(Map.of(resource, List.of(earliest))).all().get();
    } catch (InterruptedException | ExecutionException e) {
      throw new IllegalStateException("Could not configure share group " + group, e);
    }
  }

  /** Reads the topic from the beginning until {@code expected} records have arrived. */
  static List<String> consume(Map<String, Object> consumerConfig, String topic, int expected) {
    List<String> values = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerConfig)) {
      consumer.subscribe(List.of(topic));
      await()
          .atMost(Duration.ofSeconds(30))
          .until(
              () -> {
                for (ConsumerRecord<String, String> record :
                    consumer.poll(Duration.ofMillis(200))) {
                  values.add(record.value());
                }
                return values.size() >= expected;
              });
    }
    return values;
  }
}
