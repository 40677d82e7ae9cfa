package io.sluice.workers.internal;

import io.sluice.lifecycle.BackgroundLoop;
import io.sluice.schemas.job.JobControl;
import io.sluice.schemas.json.JsonSerde;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every cancel on {@code jobs.control} into the pool's {@link CancelledJobs}: a consumer of
 * its own without a group (every pool instance must see every cancel), assigned all partitions and
 * started {@code memory} back, so a pool that starts knows the cancels it may still meet tasks of.
 * Unreadable records are skipped; nothing else is read from them.
 */
public final class CancelListener implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CancelListener.class);
  private static final Duration POLL = Duration.ofMillis(200);
  private static final JsonSerde<JobControl> CONTROLS = JsonSerde.of(JobControl.class);

  private final KafkaConsumer<String, byte[]> consumer;
  private final String topic;
  private final long since;
  private final CancelledJobs cancelled;
  private final BackgroundLoop loop;

  private CancelListener(
      KafkaConsumer<String, byte[]> consumer, String topic, long since, CancelledJobs cancelled) {
    this.consumer = consumer;
    this.topic = topic;
    this.since = since;
    this.cancelled = cancelled;
    this.loop =
        new BackgroundLoop(
            "cancel listener",
            BackgroundLoop.Settings.idleWait(POLL)
                .withBackoff(Duration.ofMillis(200), Duration.ofSeconds(5))
                .withStopTimeout(Duration.ofSeconds(2)),
            this::poll);
  }

  /**
   * Starts reading {@code topic} from {@code memory} ago, all its partitions; a topic not visible
   * yet (created by a component starting at the same time) is looked for again at every poll.
   *
   * @param clientProperties extra Kafka client properties (security), applied last
   */
  public static CancelListener start(
      String bootstrapServers,
      String topic,
      Map<String, String> clientProperties,
      CancelledJobs cancelled,
      Duration memory,
      Clock clock) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, "sluice-cancels-" + UUID.randomUUID());
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "latest");
    config.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    config.putAll(clientProperties);
    var consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    CancelListener listener =
        new CancelListener(consumer, topic, clock.millis() - memory.toMillis(), cancelled);
    try {
      listener.assignWhenVisible();
    } catch (RuntimeException e) {
      consumer.close();
      throw e;
    }
    listener.loop.start();
    return listener;
  }

  /** Assigns every partition of the topic once it is visible; whether it is. */
  private boolean assignWhenVisible() {
    if (!consumer.assignment().isEmpty()) {
      return true;
    }
    List<TopicPartition> partitions =
        consumer.partitionsFor(topic).stream()
            .map(info -> new TopicPartition(topic, info.partition()))
            .toList();
    if (partitions.isEmpty()) {
      return false;
    }
    consumer.assign(partitions);
    seekBack(consumer, partitions, since);
    return true;
  }

  private static void seekBack(
      KafkaConsumer<String, byte[]> consumer, List<TopicPartition> partitions, long since) {
    Map<TopicPartition, OffsetAndTimestamp> found =
        consumer.offsetsForTimes(
            partitions.stream()
                .collect(Collectors.toMap(partition -> partition, ignored -> since)));
    List<TopicPartition> none = new ArrayList<>();
    for (TopicPartition partition : partitions) {
      OffsetAndTimestamp offset = found.get(partition);
      if (offset == null) {
        none.add(partition);
      } else {
        consumer.seek(partition, offset.offset());
      }
    }
    // The end now, not at the first poll: a cancel published after start must be read.
    consumer.endOffsets(none).forEach(consumer::seek);
  }

  private BackgroundLoop.Next poll() {
    if (!assignWhenVisible()) {
      return BackgroundLoop.Next.IDLE;
    }
    for (ConsumerRecord<String, byte[]> record : consumer.poll(POLL)) {
      read(record);
    }
    return BackgroundLoop.Next.MORE;
  }

  private void read(ConsumerRecord<String, byte[]> record) {
    JobControl control;
    try {
      control = CONTROLS.fromBytes(record.value());
    } catch (RuntimeException e) {
      LOG.warn("unreadable control record at offset {} skipped", record.offset());
      return;
    }
    if (control != null
        && control.action() == JobControl.Action.CANCEL
        && control.jobId() != null) {
      cancelled.add(control.jobId(), control.requestedAt());
      LOG.debug("job {} cancelled: its tasks are dropped", control.jobId());
    }
  }

  @Override
  public void close() {
    loop.close();
    consumer.close(Duration.ofSeconds(2));
  }
}
