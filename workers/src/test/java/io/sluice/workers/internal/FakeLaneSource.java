package io.sluice.workers.internal;

import io.sluice.schemas.task.Lane;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

/**
 * A share consumer in memory for {@link ConsumerLoop} tests: polls hand out the batches a test
 * queued, every acknowledgement is recorded, and a renewed record comes back with the next poll (as
 * the broker does).
 */
final class FakeLaneSource implements LaneSource {
  /** One acknowledgement. */
  record Ack(long offset, AcknowledgeType type) {}

  private static final List<ConsumerRecord<String, byte[]>> WAKEUP = List.of();

  final List<Ack> acks = new CopyOnWriteArrayList<>();
  final AtomicBoolean closed = new AtomicBoolean();
  private final Lane lane;
  private final String topic;
  private final Duration lock;
  private final BlockingQueue<List<ConsumerRecord<String, byte[]>>> batches =
      new LinkedBlockingQueue<>();
  private final List<ConsumerRecord<String, byte[]>> renewed = new CopyOnWriteArrayList<>();

  FakeLaneSource(Lane lane, Duration lock) {
    this.lane = lane;
    this.topic = "t.tasks.openai." + lane.topicSegment();
    this.lock = lock;
  }

  /** Queues a batch of records for a later poll; returns them. */
  List<ConsumerRecord<String, byte[]>> offer(byte[]... values) {
    List<ConsumerRecord<String, byte[]>> batch =
        java.util.stream.IntStream.range(0, values.length)
            .mapToObj(i -> record(nextOffset++, values[i]))
            .toList();
    batches.add(batch);
    return batch;
  }

  private long nextOffset;

  private ConsumerRecord<String, byte[]> record(long offset, byte[] value) {
    return new ConsumerRecord<>(
        topic,
        0,
        offset,
        0L,
        TimestampType.CREATE_TIME,
        -1,
        -1,
        "key-" + offset,
        value,
        new RecordHeaders(),
        Optional.empty(),
        Optional.of((short) 1));
  }

  @Override
  public Lane lane() {
    return lane;
  }

  @Override
  public String name() {
    return "fake-" + lane.topicSegment();
  }

  @Override
  public ConsumerRecords<String, byte[]> poll(Duration timeout) {
    List<ConsumerRecord<String, byte[]>> batch;
    if (!renewed.isEmpty()) {
      batch = List.copyOf(renewed);
      renewed.clear();
    } else {
      try {
        batch = batches.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        batch = null;
      }
    }
    if (batch == null || batch == WAKEUP) {
      return ConsumerRecords.empty();
    }
    return new ConsumerRecords<>(Map.of(new TopicPartition(topic, 0), batch));
  }

  @Override
  public void acknowledge(ConsumerRecord<String, byte[]> record, AcknowledgeType type) {
    acks.add(new Ack(record.offset(), type));
    if (type == AcknowledgeType.RENEW) {
      renewed.add(record(record.offset(), record.value()));
    }
  }

  @Override
  public void flush() {}

  @Override
  public void flushSync(Duration timeout) {}

  @Override
  public Duration lockDuration(Duration fallback) {
    return lock;
  }

  @Override
  public void wakeup() {
    batches.add(WAKEUP);
  }

  @Override
  public void close(Duration timeout) {
    closed.set(true);
  }
}
