package io.sluice.workers.testing;

import io.sluice.schemas.task.Lane;
import io.sluice.schemas.task.Task;
import io.sluice.schemas.task.TaskResult;
import io.sluice.schemas.topic.DeadLetter;
import io.sluice.schemas.topic.Topic;
import io.sluice.schemas.topic.TopicCatalog;
import io.sluice.schemas.topic.TopicProvisioner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListShareGroupOffsetsSpec;
import org.apache.kafka.clients.admin.SharePartitionOffsetInfo;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Test traffic on one topic prefix: produces tasks (or raw bytes) to lanes and collects what
 * arrives on the task-results and dead-letter topics, in arrival order.
 */
public final class LaneTraffic implements AutoCloseable {
  private final String bootstrapServers;
  private final TopicCatalog topics;
  private final String provider;
  private final KafkaProducer<String, byte[]> producer;
  private final List<TaskResult> results = new CopyOnWriteArrayList<>();
  private final List<TaskResult> starts = new CopyOnWriteArrayList<>();
  private final List<DeadLetter> deadLetters = new CopyOnWriteArrayList<>();
  private final Thread reader;
  private volatile boolean reading = true;

  public LaneTraffic(String bootstrapServers, TopicCatalog topics, String provider) {
    this(bootstrapServers, topics, provider, 3);
  }

  public LaneTraffic(
      String bootstrapServers, TopicCatalog topics, String provider, int partitions) {
    this.bootstrapServers = bootstrapServers;
    this.topics = topics;
    this.provider = provider;
    List<String> names = new ArrayList<>();
    topics.realtimeLanes(provider).forEach(topic -> names.add(topic.name()));
    names.add(topics.taskResults().name());
    names.add(topics.deadLetters().name());
    new TopicProvisioner(bootstrapServers, partitions, (short) 1).ensure(names);
    this.producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG,
                20_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG,
                10_000),
            new StringSerializer(),
            new ByteArraySerializer());
    this.reader = Thread.ofPlatform().name("results-reader").start(this::read);
  }

  public void send(Task task) {
    Topic<String, Task> topic = topics.tasks(provider, task.lane());
    sendRaw(
        task.lane(), task.taskId(), topic.valueSerde().serializer().serialize(topic.name(), task));
  }

  /**
   * Sends without waiting for each record; returns once all are acknowledged. A record the broker
   * refused (e.g. metadata of a just-created topic not yet everywhere) is sent again, one by one.
   */
  public void sendAll(List<Task> tasks) {
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    for (Task task : tasks) {
      Topic<String, Task> topic = topics.tasks(provider, task.lane());
      sent.add(
          producer.send(
              new ProducerRecord<>(
                  topic.name(),
                  task.taskId(),
                  topic.valueSerde().serializer().serialize(topic.name(), task))));
    }
    producer.flush();
    for (int i = 0; i < tasks.size(); i++) {
      try {
        sent.get(i).get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        send(tasks.get(i));
      }
    }
  }

  public void sendRaw(Lane lane, String key, byte[] value) {
    try {
      producer
          .send(new ProducerRecord<>(topics.tasks(provider, lane).name(), key, value))
          .get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new IllegalStateException("cannot produce test task", e);
    }
  }

  /** The tasks' ends (succeeded or failed), in arrival order. */
  public List<TaskResult> results() {
    return List.copyOf(results);
  }

  /** The announced starts of tasks, in arrival order. */
  public List<TaskResult> starts() {
    return List.copyOf(starts);
  }

  public List<DeadLetter> deadLetters() {
    return List.copyOf(deadLetters);
  }

  /**
   * Records of the lanes the share group has not acknowledged yet, as the broker's persisted share
   * state reports them (a record a consumer holds counts once its partition has state: the broker
   * writes a partition's state at its first acknowledgement); -1 while the broker cannot tell (no
   * state yet). Call it once every partition's records were acknowledged at least once.
   */
  public long unacknowledged(String groupId) {
    try (Admin admin =
        Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      Map<TopicPartition, SharePartitionOffsetInfo> offsets =
          admin
              .listShareGroupOffsets(Map.of(groupId, new ListShareGroupOffsetsSpec()))
              .partitionsToOffsetInfo(groupId)
              .get(10, TimeUnit.SECONDS);
      long lag = 0;
      boolean known = false;
      for (SharePartitionOffsetInfo info : offsets.values()) {
        if (info == null) {
          continue; // no share state: the group never took a record of this partition
        }
        if (info.lag().isEmpty()) {
          return -1;
        }
        known = true;
        lag += info.lag().get();
      }
      if (!known) {
        return -1;
      }
      return lag;
    } catch (Exception e) {
      return -1;
    }
  }

  private void read() {
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrapServers,
            ConsumerConfig.GROUP_ID_CONFIG,
            topics.prefix() + ".test-reader",
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest");
    Topic<String, TaskResult> resultTopic = topics.taskResults();
    Topic<String, DeadLetter> letterTopic = topics.deadLetters();
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(resultTopic.name(), letterTopic.name()));
      while (reading) {
        for (var record : consumer.poll(Duration.ofMillis(100))) {
          if (record.topic().equals(resultTopic.name())) {
            TaskResult result =
                resultTopic.valueSerde().deserializer().deserialize(record.topic(), record.value());
            (result.outcome().isTerminal() ? results : starts).add(result);
          } else {
            deadLetters.add(
                letterTopic
                    .valueSerde()
                    .deserializer()
                    .deserialize(record.topic(), record.value()));
          }
        }
      }
    }
  }

  @Override
  public void close() throws InterruptedException {
    reading = false;
    reader.join(5000);
    producer.close();
  }
}
