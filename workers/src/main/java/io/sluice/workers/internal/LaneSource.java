package io.sluice.workers.internal;

import io.sluice.schemas.task.Lane;
import java.time.Duration;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;

/**
 * What a {@link ConsumerLoop} needs of its share consumer ({@link LaneConsumer} in a pool, a fake
 * in unit tests). Used only by the loop's thread, except {@link #wakeup()}.
 */
interface LaneSource {
  Lane lane();

  String name();

  ConsumerRecords<String, byte[]> poll(Duration timeout);

  void acknowledge(ConsumerRecord<String, byte[]> record, AcknowledgeType type);

  /** Sends pending acknowledgements now rather than with the next poll. */
  void flush();

  void flushSync(Duration timeout);

  /** The record lock the broker granted, once known. */
  Duration lockDuration(Duration fallback);

  /** Thread-safe: makes a blocking poll return early. */
  void wakeup();

  void close(Duration timeout);
}
