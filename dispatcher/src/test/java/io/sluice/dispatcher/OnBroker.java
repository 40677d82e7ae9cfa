package io.sluice.dispatcher;

import static org.awaitility.Awaitility.await;

import io.sluice.schemas.topic.Topic;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The broker side of dispatcher tests: publishes as job-api and the workers do, and reads what the
 * dispatcher committed ({@code read_committed}: its output counts once its transaction commits).
 */
final class OnBroker implements AutoCloseable {
  private final String bootstrap;
  private final KafkaProducer<String, byte[]> producer;

  OnBroker(String bootstrap) {
    this.bootstrap = bootstrap;
    this.producer =
        new KafkaProducer<>(
            Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
            new StringSerializer(),
            new ByteArraySerializer());
  }

  <V> void send(Topic<String, V> topic, String key, V value) {
    sendRaw(topic.name(), key, topic.valueSerde().serializer().serialize(topic.name(), value));
  }

  void sendRaw(String topic, String key, byte[] value) {
    producer.send(new ProducerRecord<>(topic, key, value));
    producer.flush();
  }

  /** Sends without flushing each record; {@link #flush()} once after many. */
  <V> void sendAsync(Topic<String, V> topic, String key, V value) {
    producer.send(
        new ProducerRecord<>(
            topic.name(), key, topic.valueSerde().serializer().serialize(topic.name(), value)));
  }

  void flush() {
    producer.flush();
  }

  /** What is committed to the topic (all its partitions), once there are at least {@code count}. */
  <V> List<V> awaitAtLeast(Topic<String, V> topic, int count, Duration timeout) {
    try (var consumer = consumer(topic)) {
      List<V> seen = new ArrayList<>();
      await()
          .atMost(timeout.toMillis(), TimeUnit.MILLISECONDS)
          .pollInterval(Duration.ofMillis(10))
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> seen.add(record.value()));
                return seen.size() >= count;
              });
      // Whatever else is already there, to catch duplicates.
      consumer.poll(Duration.ofMillis(500)).forEach(record -> seen.add(record.value()));
      return seen;
    }
  }

  <V> KafkaConsumer<String, V> consumer(Topic<String, V> topic) {
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    var consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), topic.valueSerde().deserializer());
    int partitions = consumer.partitionsFor(topic.name()).size();
    consumer.assign(
        IntStream.range(0, partitions)
            .mapToObj(partition -> new TopicPartition(topic.name(), partition))
            .toList());
    consumer.seekToBeginning(consumer.assignment());
    return consumer;
  }

  @Override
  public void close() {
    producer.close();
  }
}
