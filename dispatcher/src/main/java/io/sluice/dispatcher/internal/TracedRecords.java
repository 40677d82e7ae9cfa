package io.sluice.dispatcher.internal;

import io.sluice.observability.tracing.Tracing;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.streams.processor.api.Record;

/** Records forwarded with the trace context of the current span (the processor's). */
final class TracedRecords {
  private TracedRecords() {}

  /**
   * {@code record} with headers naming the current span; {@code record} itself when there is none
   * (tracing off: no allocation), so it passes on the headers it came with.
   */
  static <K, V> Record<K, V> withCurrentTrace(Record<K, V> record) {
    Headers traced = Tracing.withCurrentTrace(record.headers());
    return traced == record.headers() ? record : record.withHeaders(traced);
  }
}
