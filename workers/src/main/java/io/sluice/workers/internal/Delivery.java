package io.sluice.workers.internal;

import io.sluice.schemas.json.JsonSerde;
import io.sluice.schemas.task.Task;
import java.time.Instant;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.header.Headers;

/**
 * One delivery of a task record, free of consumer types, with its task decoded once when the record
 * was read.
 *
 * @param topic the lane topic it came from
 * @param key the record key (the task ID), may be {@code null}
 * @param value the raw payload, may be {@code null} (kept for the dead-letter topic)
 * @param deliveryCount how often the record has been delivered, this time included (from 1)
 * @param readAt when the worker read the record ({@code null}: unknown, admission waits are not
 *     recorded)
 * @param task the decoded task, or {@code null} when the record is unreadable
 * @param problem why the record is unreadable, or {@code null}
 * @param headers the record's headers (its trace context), or {@code null}
 */
public record Delivery(
    String topic,
    String key,
    byte[] value,
    int deliveryCount,
    Instant readAt,
    Task task,
    String problem,
    Headers headers) {
  private static final JsonSerde<Task> TASKS = JsonSerde.of(Task.class);

  /** Decodes the record's task, once. */
  public static Delivery read(
      String topic, String key, byte[] value, int deliveryCount, Instant readAt) {
    return read(topic, key, value, deliveryCount, readAt, null);
  }

  /** Decodes the record's task, once; keeps its {@code headers}. */
  public static Delivery read(
      String topic, String key, byte[] value, int deliveryCount, Instant readAt, Headers headers) {
    try {
      Task task = TASKS.fromBytes(value);
      return task == null
          ? new Delivery(
              topic, key, value, deliveryCount, readAt, null, "empty record (no task)", headers)
          : new Delivery(topic, key, value, deliveryCount, readAt, task, null, headers);
    } catch (SerializationException e) {
      return new Delivery(topic, key, value, deliveryCount, readAt, null, e.getMessage(), headers);
    }
  }

  /** Whether the task could be decoded. */
  public boolean readable() {
    return task != null;
  }

  /** The model the task calls, or {@code null} when it is unreadable. */
  public String model() {
    return task == null ? null : task.request().model();
  }
}
