package io.sluice.dispatcher.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;

/**
 * The key of a job in the deadline index: its deadline in epoch milliseconds (rounded up, so a job
 * is never due before its deadline), then its job ID. Serialized big-endian with the sign bit
 * flipped, so the store's byte order is deadline order and the due jobs are a prefix of it.
 */
record DeadlineKey(long deadlineMillis, String jobId) {
  private static final int MILLIS_BYTES = Long.BYTES;

  static final Serde<DeadlineKey> SERDE =
      Serdes.serdeFrom(
          (topic, key) -> key == null ? null : key.toBytes(),
          (topic, bytes) -> bytes == null ? null : fromBytes(bytes));

  static DeadlineKey of(Instant deadline, String jobId) {
    return new DeadlineKey(deadline.plusNanos(999_999).toEpochMilli(), jobId);
  }

  Instant deadline() {
    return Instant.ofEpochMilli(deadlineMillis);
  }

  byte[] toBytes() {
    byte[] id = jobId.getBytes(StandardCharsets.UTF_8);
    return ByteBuffer.allocate(MILLIS_BYTES + id.length)
        .putLong(deadlineMillis ^ Long.MIN_VALUE)
        .put(id)
        .array();
  }

  static DeadlineKey fromBytes(byte[] bytes) {
    ByteBuffer buffer = ByteBuffer.wrap(bytes);
    long millis = buffer.getLong() ^ Long.MIN_VALUE;
    String jobId =
        new String(bytes, MILLIS_BYTES, bytes.length - MILLIS_BYTES, StandardCharsets.UTF_8);
    return new DeadlineKey(millis, jobId);
  }
}
