package io.sluice.workers.internal;

import io.sluice.schemas.task.Lane;
import java.time.Instant;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * A record a consumer holds: waiting for a slot (or the rate limiter), or running. The mutable
 * fields belong to the owning consumer's thread; {@link #delivery} is immutable and read by the
 * task's thread.
 */
final class HeldRecord {
  final ConsumerLoop owner;
  final LaneConsumer.RecordKey key;
  final Delivery delivery;
  final String model;
  ConsumerRecord<String, byte[]> record;
  Instant lockedAt;
  boolean renewing;
  Instant renewRequestedAt;
  AcknowledgeType verdict;
  volatile Thread thread;

  HeldRecord(ConsumerLoop owner, ConsumerRecord<String, byte[]> record, Instant readAt) {
    this.owner = owner;
    this.key = LaneConsumer.RecordKey.of(record);
    this.record = record;
    this.lockedAt = readAt;
    this.delivery =
        new Delivery(
            record.topic(),
            record.key(),
            record.value(),
            record.deliveryCount().map(Short::intValue).orElse(1),
            readAt);
    var task = TaskProcessor.readable(record.value());
    this.model = task == null ? null : task.request().model();
  }

  Lane lane() {
    return owner.lane();
  }

  String taskKey() {
    return record.key() == null ? key.toString() : record.key();
  }
}
