package io.sluice.dispatcher.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.function.Function;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link SortedMemoryStore} answers every read as Kafka Streams' own in-memory store does: the same
 * random writes go to both, and every kind of read is compared after each one.
 */
class SortedMemoryStoreTest {
  /** Bytes around the signed/unsigned boundary and the ends, so ordering mistakes show. */
  private static final byte[] ALPHABET = {
    0x00, 0x01, 0x41, 0x7f, (byte) 0x80, (byte) 0xfe, (byte) 0xff
  };

  private final KeyValueStore<Bytes, byte[]> ours = opened(SortedMemoryStore.supplier("s").get());
  private final KeyValueStore<Bytes, byte[]> kafkas =
      opened(Stores.inMemoryKeyValueStore("k").get());

  @ParameterizedTest
  @ValueSource(longs = {1, 2, 3, 4, 5, 6, 7, 8})
  void shouldAnswerEveryReadAsKafkasInMemoryStoreDoes(long seed) {
    Random random = new Random(seed);
    for (int step = 0; step < 1_500; step++) {
      write(random);
      Bytes a = key(random);
      Bytes b = key(random);
      Bytes from = random.nextInt(5) == 0 ? null : a;
      Bytes to = random.nextInt(5) == 0 ? null : b;
      byte[] prefix = key(random).get();

      assertThat(hex(ours.get(a))).isEqualTo(hex(kafkas.get(a)));
      assertSame(store -> store.range(from, to), "range " + from + ".." + to);
      assertSame(store -> store.reverseRange(from, to), "reverseRange " + from + ".." + to);
      assertSame(KeyValueStore::all, "all");
      assertSame(KeyValueStore::reverseAll, "reverseAll");
      assertPrefixScan(prefix);
      assertThat(ours.approximateNumEntries()).isEqualTo(kafkas.approximateNumEntries());
    }
  }

  @Test
  void shouldLetAWalkGoOnWhileTheStoreChanges() {
    for (int i = 0; i < 100; i++) {
      ours.put(Bytes.wrap(new byte[] {(byte) i}), new byte[] {1});
    }
    int seen = 0;
    try (KeyValueIterator<Bytes, byte[]> all = ours.all()) {
      while (all.hasNext()) {
        ours.delete(all.next().key); // ExpiredEntries and FairPacer delete while they read
        seen++;
      }
    }
    assertThat(seen).isEqualTo(100);
    assertThat(ours.approximateNumEntries()).isZero();
  }

  @Test
  void shouldPeekWithoutMovingAndEndCleanly() {
    ours.put(Bytes.wrap(new byte[] {1}), new byte[] {10});
    ours.put(Bytes.wrap(new byte[] {2}), new byte[] {20});
    try (KeyValueIterator<Bytes, byte[]> range = ours.range(Bytes.wrap(new byte[] {2}), null)) {
      assertThat(range.peekNextKey()).isEqualTo(Bytes.wrap(new byte[] {2}));
      assertThat(range.next().value).containsExactly(20);
      assertThat(range.hasNext()).isFalse();
      assertThatThrownBy(range::next).isInstanceOf(NoSuchElementException.class);
      assertThatThrownBy(range::peekNextKey).isInstanceOf(NoSuchElementException.class);
    }
  }

  private void write(Random random) {
    Bytes key = key(random);
    byte[] value = random.nextInt(6) == 0 ? null : value(random);
    switch (random.nextInt(5)) {
      case 0 -> assertThat(hex(ours.delete(key))).isEqualTo(hex(kafkas.delete(key)));
      case 1 -> {
        if (value != null) {
          assertThat(hex(ours.putIfAbsent(key, value)))
              .isEqualTo(hex(kafkas.putIfAbsent(key, value)));
        }
      }
      case 2 -> {
        List<KeyValue<Bytes, byte[]>> batch = new ArrayList<>();
        for (int i = random.nextInt(4); i >= 0; i--) {
          batch.add(KeyValue.pair(key(random), random.nextBoolean() ? value(random) : null));
        }
        ours.putAll(batch);
        kafkas.putAll(batch);
      }
      default -> {
        ours.put(key, value);
        kafkas.put(key, value);
      }
    }
  }

  private void assertSame(
      Function<KeyValueStore<Bytes, byte[]>, KeyValueIterator<Bytes, byte[]>> read, String what) {
    assertThat(drain(read.apply(ours))).as(what).isEqualTo(drain(read.apply(kafkas)));
  }

  /**
   * Kafka's store scans a prefix as the range from it to its increment, excluded: for a prefix
   * ending in 0xff that range also holds shorter keys that do not start with it ({@code 80ff} for
   * {@code 80feff}, whose increment is {@code 80ff00}), and an empty prefix or one of only 0xff has
   * no increment at all (it throws). There, ours must give exactly the keys that start with it.
   */
  private void assertPrefixScan(byte[] prefix) {
    String what = "prefixScan " + HexFormat.of().formatHex(prefix);
    List<String> scanned = drain(ours.prefixScan(prefix, new ByteArraySerializer()));
    if (prefix.length > 0 && prefix[prefix.length - 1] != (byte) 0xff) {
      assertThat(scanned)
          .as(what)
          .isEqualTo(drain(kafkas.prefixScan(prefix, new ByteArraySerializer())));
      return;
    }
    List<String> expected = new ArrayList<>();
    try (KeyValueIterator<Bytes, byte[]> all = kafkas.all()) {
      all.forEachRemaining(
          entry -> {
            byte[] key = entry.key.get();
            if (key.length >= prefix.length
                && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length)) {
              expected.add(entry.key + "=" + hex(entry.value));
            }
          });
    }
    assertThat(scanned).as(what).isEqualTo(expected);
  }

  private static List<String> drain(KeyValueIterator<Bytes, byte[]> iterator) {
    List<String> entries = new ArrayList<>();
    try (iterator) {
      iterator.forEachRemaining(entry -> entries.add(entry.key + "=" + hex(entry.value)));
    }
    return entries;
  }

  private static Bytes key(Random random) {
    byte[] key = new byte[random.nextInt(4)];
    for (int i = 0; i < key.length; i++) {
      key[i] = ALPHABET[random.nextInt(ALPHABET.length)];
    }
    return Bytes.wrap(key);
  }

  private static byte[] value(Random random) {
    byte[] value = new byte[1 + random.nextInt(3)];
    random.nextBytes(value);
    return value;
  }

  private static String hex(byte[] bytes) {
    return bytes == null ? "null" : HexFormat.of().formatHex(bytes);
  }

  private static KeyValueStore<Bytes, byte[]> opened(KeyValueStore<Bytes, byte[]> store) {
    store.init(new MockProcessorContext<>().getStateStoreContext(), store);
    return store;
  }
}
