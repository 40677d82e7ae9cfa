package io.sluice.dispatcher.internal;

import io.sluice.schemas.json.JsonSerde;
import io.sluice.schemas.topic.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.errors.ErrorHandlerContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the dead-letter record for an input record whose processing threw. The error handler
 * returns it to Kafka Streams, which writes it in the transaction that commits the input's offset,
 * so the record is set aside once and the stream goes on.
 */
final class DeadLetters {
  private static final Logger LOG = LoggerFactory.getLogger(DeadLetters.class);
  private static final JsonSerde<DeadLetter> SERDE = JsonSerde.of(DeadLetter.class);

  private final String topic;
  private final Clock clock;

  private DeadLetters(String topic, Clock clock) {
    this.topic = topic;
    this.clock = clock;
  }

  static DeadLetters fromConfig(Map<String, ?> configs) {
    Object topic = configs.get(StreamsProperties.DEAD_LETTER_TOPIC_CONFIG);
    if (!(topic instanceof String name) || name.isBlank()) {
      throw new ConfigException(
          StreamsProperties.DEAD_LETTER_TOPIC_CONFIG, topic, "must name a topic");
    }
    Clock clock =
        configs.get(StreamsProperties.CLOCK_CONFIG) instanceof Clock c ? c : Clock.systemUTC();
    return new DeadLetters(name, clock);
  }

  List<ProducerRecord<byte[], byte[]>> recordsFor(ErrorHandlerContext context, Exception error) {
    String reason = "cannot be processed: " + error;
    DeadLetter letter =
        DeadLetter.of(
            context.topic(),
            text(context.sourceRawKey()),
            reason,
            text(context.sourceRawValue()),
            clock.instant());
    LOG.error(
        "Processing the record at {}-{}@{} failed in {}; set aside to {}, continuing",
        context.topic(),
        context.partition(),
        context.offset(),
        context.processorNodeId(),
        topic,
        error);
    return List.of(new ProducerRecord<>(topic, context.sourceRawKey(), SERDE.toBytes(letter)));
  }

  private static String text(byte[] bytes) {
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }
}
