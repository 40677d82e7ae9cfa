package io.sluice.jobapi.outbox;

import io.sluice.observability.tracing.TraceContext;

/**
 * A Kafka record waiting in the outbox table to be published.
 *
 * @param id its row ID (publication order)
 * @param topic the topic it goes to
 * @param key the record key (the job ID)
 * @param payload the record value, JSON text exactly as committed
 * @param trace the trace context of the request that wrote it, published as the record's {@code
 *     traceparent} and {@code tracestate} headers; {@code null} when tracing was off
 */
public record OutboxRecord(long id, String topic, String key, String payload, TraceContext trace) {

  /** A record without a trace context. */
  public OutboxRecord(long id, String topic, String key, String payload) {
    this(id, topic, key, payload, null);
  }
}
