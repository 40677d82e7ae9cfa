package io.sluice.dispatcher.internal;

import io.sluice.schemas.json.JsonSerde;
import io.sluice.schemas.topic.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a payload from its JSON bytes inside the topology: a readable record goes on to the next
 * processor, an unreadable one (invalid JSON, unknown schema major version, no value) to the
 * dead-letter sink with the reason. Doing it here rather than in a deserialization exception
 * handler makes the dead letter part of the same processed-record transaction as every other
 * output.
 */
public final class PayloadReader<V> implements Processor<String, byte[], String, Object> {
  private static final Logger LOG = LoggerFactory.getLogger(PayloadReader.class);

  private final String topic;
  private final JsonSerde<V> serde;
  private final Clock clock;
  private final List<String> next;
  private final String deadLetterSink;
  private ProcessorContext<String, Object> context;

  public PayloadReader(
      String topic, JsonSerde<V> serde, Clock clock, String next, String deadLetterSink) {
    this(topic, serde, clock, List.of(next), deadLetterSink);
  }

  /** A reader that passes each readable record to every one of {@code next}, in order. */
  public PayloadReader(
      String topic, JsonSerde<V> serde, Clock clock, List<String> next, String deadLetterSink) {
    this.topic = topic;
    this.serde = serde;
    this.clock = clock;
    this.next = List.copyOf(next);
    this.deadLetterSink = deadLetterSink;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
  }

  @Override
  public void process(Record<String, byte[]> record) {
    V value;
    try {
      value = record.value() == null ? null : serde.fromBytes(record.value());
    } catch (SerializationException e) {
      deadLetter(record, "cannot be read: " + e.getMessage());
      return;
    }
    if (value == null) {
      deadLetter(record, "has no value");
      return;
    }
    for (String child : next) {
      context.forward(record.withValue(value), child);
    }
  }

  private void deadLetter(Record<String, byte[]> record, String reason) {
    String payload =
        record.value() == null ? null : new String(record.value(), StandardCharsets.UTF_8);
    var letter = DeadLetter.of(topic, record.key(), reason, payload, clock.instant());
    context.forward(record.withValue(letter), deadLetterSink);
    LOG.warn(
        "Record with key {} from {} set aside to dead letters: {}",
        record.key(),
        topic,
        reason.length() > 200 ? reason.substring(0, 200) + "…" : reason);
  }
}
