package io.sluice.dispatcher.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * The deadlines of the jobs that have one and have not ended, in deadline order (key {@link
 * DeadlineKey}, value the job's tenant). An entry is removed when its job ends, so the store, its
 * changelog and its restore hold only the jobs still running with a deadline.
 */
final class DeadlineIndex {
  private final KeyValueStore<DeadlineKey, String> store;

  DeadlineIndex(KeyValueStore<DeadlineKey, String> store) {
    this.store = store;
  }

  void add(String jobId, String tenantId, Instant deadline) {
    store.put(DeadlineKey.of(deadline, jobId), tenantId == null ? "" : tenantId);
  }

  void remove(String jobId, Instant deadline) {
    store.delete(DeadlineKey.of(deadline, jobId));
  }

  void remove(DeadlineKey key) {
    store.delete(key);
  }

  /**
   * The first {@code limit} jobs whose deadline has {@code expired}, earliest first. Reads only
   * those and the next one: the store is in deadline order.
   */
  List<Due> due(Predicate<Instant> expired, int limit) {
    List<Due> due = new ArrayList<>();
    try (KeyValueIterator<DeadlineKey, String> entries = store.all()) {
      while (entries.hasNext() && due.size() < limit) {
        KeyValue<DeadlineKey, String> entry = entries.next();
        if (!expired.test(entry.key.deadline())) {
          break;
        }
        due.add(new Due(entry.key, entry.value.isEmpty() ? null : entry.value));
      }
    }
    return due;
  }

  /** A job whose deadline has passed, and its tenant. */
  record Due(DeadlineKey key, String tenantId) {}
}
