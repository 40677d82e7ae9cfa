package io.sluice.workers.internal;

import java.time.Instant;

/**
 * One delivery of a task record, free of Kafka types.
 *
 * @param topic the lane topic it came from
 * @param key the record key (the task ID), may be {@code null}
 * @param value the raw payload, may be {@code null}
 * @param deliveryCount how often the record has been delivered, this time included (from 1)
 * @param readAt when the worker read the record ({@code null}: unknown, admission waits are not
 *     recorded)
 */
public record Delivery(String topic, String key, byte[] value, int deliveryCount, Instant readAt) {
  public Delivery(String topic, String key, byte[] value, int deliveryCount) {
    this(topic, key, value, deliveryCount, null);
  }
}
