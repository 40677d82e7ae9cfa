package io.sluice.jobapi.outbox;

import io.sluice.jobapi.store.Transaction;
import io.sluice.observability.tracing.TraceContext;
import java.time.Instant;
import java.util.List;

/**
 * Adds records to the transactional outbox inside the caller's transaction: the record is committed
 * with the caller's rows or not at all, and the relay publishes it after the commit. A record keeps
 * the trace context of the span it was written in (when tracing is on) and is published with it.
 */
public interface OutboxWriter {

  /**
   * Adds a record for {@code topic}, keyed {@code key}, with {@code payload} (JSON text), and the
   * trace context of the calling thread's current span.
   */
  void append(Transaction tx, String topic, String key, String payload, Instant now);

  /** Adds several records in one round trip. */
  void appendAll(Transaction tx, List<Entry> entries);

  /**
   * A record to add: for {@code topic}, keyed {@code key}, with {@code payload} (JSON text), and
   * {@code trace} ({@code null}: none).
   */
  record Entry(String topic, String key, String payload, Instant createdAt, TraceContext trace) {

    /** An entry with the trace context of the current span of the thread that creates it. */
    public Entry(String topic, String key, String payload, Instant createdAt) {
      this(topic, key, payload, createdAt, TraceContext.current());
    }
  }
}
