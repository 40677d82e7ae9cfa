package io.sluice.dispatcher.internal;

import java.util.Collection;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.BatchingStateRestoreCallback;
import org.apache.kafka.streams.processor.StateStore;
import org.apache.kafka.streams.processor.StateStoreContext;
import org.apache.kafka.streams.query.Position;
import org.apache.kafka.streams.state.KeyValueBytesStoreSupplier;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;

/**
 * An in-memory key-value store whose iterators walk the live map instead of a copy of its keys.
 *
 * <p>Kafka Streams' own in-memory store ({@code Stores.inMemoryKeyValueStore}) copies every key of
 * the requested range into a new sorted set each time an iterator is opened, so that interactive
 * queries on other threads never see the map change under them. The dispatcher opens ranges on its
 * hot path and on timers — the head of a tenant's paced queue at every release ({@code FairPacer}),
 * the first due deadline every second ({@code DeadlineIndex}) — and reads only the first entries:
 * with the copy, each of those costs the whole range (a 100,000-task queue, every deadline of a
 * million-line batch). Here a {@link ConcurrentSkipListMap} keeps the order and its iterators are
 * weakly consistent: they never fail on a concurrent change, and opening one costs a lookup. The
 * dispatcher does not serve interactive queries.
 *
 * <p>Changelogging and metrics come from the store builder's wrappers, as for Kafka's store; this
 * class keeps the entries, restores them from the changelog and tracks the input position of the
 * writes.
 */
public final class SortedMemoryStore implements KeyValueStore<Bytes, byte[]> {
  private final String name;
  private final ConcurrentSkipListMap<Bytes, byte[]> entries = new ConcurrentSkipListMap<>();
  private final AtomicLong size = new AtomicLong();
  private final Position position = Position.emptyPosition();
  private StateStoreContext context;
  private volatile boolean open;

  SortedMemoryStore(String name) {
    this.name = name;
  }

  /** The supplier a store builder takes, for a store named {@code name}. */
  public static KeyValueBytesStoreSupplier supplier(String name) {
    return new KeyValueBytesStoreSupplier() {
      @Override
      public String name() {
        return name;
      }

      @Override
      public KeyValueStore<Bytes, byte[]> get() {
        return new SortedMemoryStore(name);
      }

      @Override
      public String metricsScope() {
        return "in-memory";
      }
    };
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public void init(StateStoreContext context, StateStore root) {
    this.context = context;
    context.register(root, (BatchingStateRestoreCallback) this::restore);
    open = true;
  }

  private void restore(Collection<KeyValue<byte[], byte[]>> records) {
    for (KeyValue<byte[], byte[]> record : records) {
      write(Bytes.wrap(record.key), record.value);
    }
  }

  @Override
  public void close() {
    entries.clear();
    size.set(0);
    open = false;
  }

  @Override
  public boolean persistent() {
    return false;
  }

  @Override
  public boolean isOpen() {
    return open;
  }

  @Override
  public Position getPosition() {
    return position;
  }

  @Override
  public byte[] get(Bytes key) {
    return entries.get(key);
  }

  @Override
  public void put(Bytes key, byte[] value) {
    write(key, value);
    track();
  }

  @Override
  public byte[] putIfAbsent(Bytes key, byte[] value) {
    byte[] known = entries.get(key);
    if (known == null) {
      put(key, value);
    }
    return known;
  }

  @Override
  public void putAll(List<KeyValue<Bytes, byte[]>> all) {
    for (KeyValue<Bytes, byte[]> entry : all) {
      write(entry.key, entry.value);
    }
    track();
  }

  @Override
  public byte[] delete(Bytes key) {
    byte[] old = write(key, null);
    track();
    return old;
  }

  /** Puts or, for a {@code null} value (a tombstone), removes; returns the previous value. */
  private byte[] write(Bytes key, byte[] value) {
    byte[] old = value == null ? entries.remove(key) : entries.put(key, value);
    if (old == null && value != null) {
      size.incrementAndGet();
    } else if (old != null && value == null) {
      size.decrementAndGet();
    }
    return old;
  }

  /** Records the input record a write came from, as Kafka's stores do for consistent queries. */
  private void track() {
    if (context == null) {
      return;
    }
    context
        .recordMetadata()
        .ifPresent(
            record -> position.withComponent(record.topic(), record.partition(), record.offset()));
  }

  @Override
  public KeyValueIterator<Bytes, byte[]> range(Bytes from, Bytes to) {
    return iterate(bounded(from, to), null);
  }

  @Override
  public KeyValueIterator<Bytes, byte[]> reverseRange(Bytes from, Bytes to) {
    return iterate(bounded(from, to).descendingMap(), null);
  }

  @Override
  public KeyValueIterator<Bytes, byte[]> all() {
    return iterate(entries, null);
  }

  @Override
  public KeyValueIterator<Bytes, byte[]> reverseAll() {
    return iterate(entries.descendingMap(), null);
  }

  @Override
  public <S extends Serializer<P>, P> KeyValueIterator<Bytes, byte[]> prefixScan(
      P prefix, S prefixSerializer) {
    byte[] start = prefixSerializer.serialize(null, prefix);
    return iterate(entries.tailMap(Bytes.wrap(start), true), key -> startsWith(key.get(), start));
  }

  @Override
  public long approximateNumEntries() {
    return size.get();
  }

  /**
   * The entries from {@code from} to {@code to}, both included, either open when {@code null}; none
   * when {@code from} is after {@code to} (as Kafka's stores answer).
   */
  private NavigableMap<Bytes, byte[]> bounded(Bytes from, Bytes to) {
    if (from != null && to != null) {
      return from.compareTo(to) > 0
          ? Collections.emptyNavigableMap()
          : entries.subMap(from, true, to, true);
    }
    if (from != null) {
      return entries.tailMap(from, true);
    }
    return to != null ? entries.headMap(to, true) : entries;
  }

  private static boolean startsWith(byte[] key, byte[] prefix) {
    if (key.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (key[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  private static KeyValueIterator<Bytes, byte[]> iterate(
      NavigableMap<Bytes, byte[]> view, Predicate<Bytes> whileTrue) {
    return new Walk(view.entrySet().iterator(), whileTrue);
  }

  /** A walk over a live view, ending early where {@code whileTrue} first fails. */
  private static final class Walk implements KeyValueIterator<Bytes, byte[]> {
    private final Iterator<Map.Entry<Bytes, byte[]>> source;
    private final Predicate<Bytes> whileTrue;
    private Map.Entry<Bytes, byte[]> next;
    private boolean ended;

    Walk(Iterator<Map.Entry<Bytes, byte[]>> source, Predicate<Bytes> whileTrue) {
      this.source = source;
      this.whileTrue = whileTrue;
    }

    @Override
    public boolean hasNext() {
      if (next != null) {
        return true;
      }
      if (ended || !source.hasNext()) {
        ended = true;
        return false;
      }
      Map.Entry<Bytes, byte[]> candidate = source.next();
      if (whileTrue != null && !whileTrue.test(candidate.getKey())) {
        ended = true;
        return false;
      }
      next = candidate;
      return true;
    }

    @Override
    public KeyValue<Bytes, byte[]> next() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      KeyValue<Bytes, byte[]> entry = KeyValue.pair(next.getKey(), next.getValue());
      next = null;
      return entry;
    }

    @Override
    public Bytes peekNextKey() {
      if (!hasNext()) {
        throw new NoSuchElementException();
      }
      return next.getKey();
    }

    @Override
    public void close() {
      ended = true;
      next = null;
    }
  }
}
