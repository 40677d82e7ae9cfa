package io.sluice.dispatcher;

import io.sluice.dispatcher.internal.SortedMemoryStore;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.Stores;

/**
 * Where the dispatcher keeps its state stores. Both are changelogged, so neither loses state; they
 * differ in what a start costs.
 */
public enum StateStores {
  /**
   * RocksDB under the state directory: a start after a clean stop reads them back from their
   * checkpoints; after an unclean stop under exactly-once, each task's store is opened, wiped and
   * restored from its changelog. For served dispatchers, whose stores may be large.
   */
  PERSISTENT,
  /**
   * In memory, restored from their changelogs at every start: no RocksDB to open or wipe. For
   * {@code sluice local}, whose stores are small (dedup entries expire) and whose restart after a
   * crash is what a developer waits for. The store is {@link SortedMemoryStore}, not Kafka's own
   * in-memory store, which copies a range's keys each time it is read.
   */
  IN_MEMORY;

  /** The supplier of a key-value store of this kind named {@code name}. */
  public KeyValueBytesStoreSupplier keyValue(String name) {
    return this == PERSISTENT
        ? Stores.persistentKeyValueStore(name)
        : SortedMemoryStore.supplier(name);
  }
}
