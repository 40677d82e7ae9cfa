package io.sluice.workers.internal;

import io.sluice.schemas.task.Lane;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaShareConsumer;
import org.apache.kafka.common.TopicIdPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One share consumer of one lane. Each poll takes at most {@code recordsPerPoll} records ({@code
 * share.acquire.mode=record_limit}). Used only by its {@link ConsumerLoop}'s thread (except {@link
 * #wakeup()}).
 */
final class LaneConsumer implements LaneSource {
  private static final Logger LOG = LoggerFactory.getLogger(LaneConsumer.class);

  private final Lane lane;
  private final String name;
  private final KafkaShareConsumer<String, byte[]> consumer;

  LaneConsumer(Lane lane, String topic, String name, Map<String, Object> commonConfig) {
    this.lane = lane;
    this.name = name;
    Map<String, Object> config = new HashMap<>(commonConfig);
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, name);
    this.consumer =
        new KafkaShareConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    consumer.setAcknowledgementCommitCallback(this::acknowledged);
    consumer.subscribe(List.of(topic));
  }

  @Override
  public Lane lane() {
    return lane;
  }

  @Override
  public String name() {
    return name;
  }

  /** The settings every lane consumer shares. */
  static Map<String, Object> commonConfig(
      String bootstrapServers, String groupId, int recordsPerPoll, Map<String, String> extra) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    config.put("share.acknowledgement.mode", "explicit");
    config.put("share.acquire.mode", "record_limit");
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, recordsPerPoll);
    config.putAll(extra);
    return config;
  }

  /**
   * Reports acknowledgements the broker refused (typically: the record's lock had expired, so the
   * broker hands it out again and its task runs once more).
   */
  private void acknowledged(Map<TopicIdPartition, Set<Long>> offsets, Exception failure) {
    if (failure != null) {
      LOG.warn(
          "{}: broker refused acknowledgements of {} ({}); those records will be delivered again",
          name,
          offsets,
          failure.toString());
    }
  }

  @Override
  public ConsumerRecords<String, byte[]> poll(Duration timeout) {
    return consumer.poll(timeout);
  }

  @Override
  public void acknowledge(ConsumerRecord<String, byte[]> record, AcknowledgeType type) {
    consumer.acknowledge(record, type);
  }

  @Override
  public void flush() {
    consumer.commitAsync();
  }

  @Override
  public void flushSync(Duration timeout) {
    consumer.commitSync(timeout);
  }

  @Override
  public Duration lockDuration(Duration fallback) {
    return consumer.acquisitionLockTimeoutMs().map(Duration::ofMillis).orElse(fallback);
  }

  @Override
  public void wakeup() {
    consumer.wakeup();
  }

  @Override
  public void close(Duration timeout) {
    consumer.close(timeout);
  }

  /** Where a record lives: identifies a renewed record when a poll hands it back. */
  record RecordKey(String topic, int partition, long offset) {
    static RecordKey of(ConsumerRecord<?, ?> record) {
      return new RecordKey(record.topic(), record.partition(), record.offset());
    }
  }
}
