package io.sluice.jobapi.outbox;

import io.sluice.jobapi.store.Transaction;
import java.time.Instant;
import java.util.List;

/**
 * Adds records to the transactional outbox inside the caller's transaction: the record is committed
 * with the caller's rows or not at all, and the relay publishes it after the commit.
 */
public interface OutboxWriter {

  /** Adds a record for {@code topic}, keyed {@code key}, with {@code payload} (JSON text). */
  void append(Transaction tx, String topic, String key, String payload, Instant now);

  /** Adds several records in one round trip. */
  void appendAll(Transaction tx, List<Entry> entries);

  /** A record to add: for {@code topic}, keyed {@code key}, with {@code payload} (JSON text). */
  record Entry(String topic, String key, String payload, Instant createdAt) {}
}
