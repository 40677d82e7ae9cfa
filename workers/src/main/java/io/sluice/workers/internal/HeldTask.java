package io.sluice.workers.internal;

import io.sluice.lane.WaitingTask;
import io.sluice.schemas.task.Lane;
import org.apache.kafka.clients.consumer.AcknowledgeType;

/**
 * A task a consumer took from Kafka, as the rest of the pool sees it: immutable, its task decoded
 * once. What changes while it is held (the current record object, its lock, its verdict) stays with
 * the consumer that holds it ({@link ConsumerLoop}); the thread that runs it stays with {@link
 * TaskThreads}. The one way back to the holder is {@link Owner#completed}.
 */
final class HeldTask {
  /** The consumer that holds the record and acknowledges it. */
  interface Owner {
    /** The task ended with this verdict (any thread). */
    void completed(HeldTask task, AcknowledgeType verdict);
  }

  private final Owner owner;
  private final LaneConsumer.RecordKey key;
  private final Lane lane;
  private final Delivery delivery;
  private final WaitingTask waiting;

  HeldTask(Owner owner, LaneConsumer.RecordKey key, Lane lane, Delivery delivery) {
    this.owner = owner;
    this.key = key;
    this.lane = lane;
    this.delivery = delivery;
    String tenant = delivery.readable() ? delivery.task().tenantId() : null;
    this.waiting = new WaitingTask(key.toString(), delivery.model(), tenant, delivery.readAt());
  }

  Owner owner() {
    return owner;
  }

  LaneConsumer.RecordKey key() {
    return key;
  }

  Lane lane() {
    return lane;
  }

  Delivery delivery() {
    return delivery;
  }

  /** What the lane policy sees of it. */
  WaitingTask waiting() {
    return waiting;
  }

  /** The task ID for logs, or where the record lives when it has no key. */
  String taskKey() {
    return delivery.key() == null ? key.toString() : delivery.key();
  }

  @Override
  public String toString() {
    return "HeldTask[" + taskKey() + " on " + lane + "]";
  }
}
