package io.sluice.dispatcher.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * Deletes the expired entries of a dedup store. A delete is a tombstone in the store's compacted
 * changelog, so the changelog, and the restore after an unclean stop, shrink with the store.
 */
final class ExpiredEntries {
  private ExpiredEntries() {}

  /** Deletes every entry whose value is expired; returns how many. */
  static <V> int delete(KeyValueStore<String, V> store, Predicate<V> expired) {
    List<String> keys = new ArrayList<>();
    try (KeyValueIterator<String, V> entries = store.all()) {
      while (entries.hasNext()) {
        KeyValue<String, V> entry = entries.next();
        if (expired.test(entry.value)) {
          keys.add(entry.key);
        }
      }
    }
    keys.forEach(store::delete);
    return keys.size();
  }
}
