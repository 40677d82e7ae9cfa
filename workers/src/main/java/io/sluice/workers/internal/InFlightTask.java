package io.sluice.workers.internal;

import java.time.Instant;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/** A task being processed, as the polling thread tracks it. Touched only by that thread. */
final class InFlightTask {
  final LaneConsumer owner;
  final LaneConsumer.RecordKey key;
  ConsumerRecord<String, byte[]> record;
  Instant lockedAt;
  boolean renewing;
  Instant renewRequestedAt;
  AcknowledgeType verdict;
  Thread thread;

  InFlightTask(LaneConsumer owner, ConsumerRecord<String, byte[]> record, Instant lockedAt) {
    this.owner = owner;
    this.key = LaneConsumer.RecordKey.of(record);
    this.record = record;
    this.lockedAt = lockedAt;
  }

  String taskKey() {
    return record.key() == null ? key.toString() : record.key();
  }
}
