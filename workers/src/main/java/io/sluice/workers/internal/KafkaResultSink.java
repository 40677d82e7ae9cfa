package io.sluice.workers.internal;

import io.sluice.observability.tracing.TraceContext;
import io.sluice.schemas.task.TaskResult;
import io.sluice.schemas.topic.DeadLetter;
import io.sluice.schemas.topic.Topic;
import io.sluice.schemas.topic.TopicCatalog;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes results to {@code sluice.task-results} (keyed by job ID) and dead letters. One
 * idempotent producer sends a task's start and its end in order.
 */
public final class KafkaResultSink implements ResultSink, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaResultSink.class);
  private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

  private final KafkaProducer<String, byte[]> producer;
  private final Topic<String, TaskResult> results;
  private final Topic<String, DeadLetter> deadLetters;

  public KafkaResultSink(
      String bootstrapServers, TopicCatalog topics, String clientId, Map<String, String> extra) {
    Map<String, Object> config = new HashMap<>();
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ProducerConfig.CLIENT_ID_CONFIG, clientId);
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.LINGER_MS_CONFIG, 1);
    config.putAll(extra);
    this.producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    this.results = topics.taskResults();
    this.deadLetters = topics.deadLetters();
  }

  @Override
  public void publish(TaskResult result) {
    send(results, result.jobId(), result);
  }

  @Override
  public void announce(TaskResult started) {
    byte[] bytes = results.valueSerde().serializer().serialize(results.name(), started);
    producer.send(
        traced(new ProducerRecord<>(results.name(), started.jobId(), bytes)),
        (metadata, failure) -> {
          if (failure != null) {
            LOG.debug("start of task {} not announced: {}", started.taskId(), failure.toString());
          }
        });
  }

  @Override
  public void deadLetter(String key, DeadLetter letter) {
    send(deadLetters, key, letter);
  }

  private <V> void send(Topic<String, V> topic, String key, V value) {
    byte[] bytes = topic.valueSerde().serializer().serialize(topic.name(), value);
    try {
      producer
          .send(traced(new ProducerRecord<>(topic.name(), key, bytes)))
          .get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaException("interrupted while publishing to " + topic.name(), e);
    } catch (ExecutionException | TimeoutException e) {
      throw new KafkaException("cannot publish to " + topic.name() + " (key " + key + ")", e);
    }
  }

  /** The record with the trace context of the current span (the task's), when there is one. */
  private static ProducerRecord<String, byte[]> traced(ProducerRecord<String, byte[]> record) {
    TraceContext trace = TraceContext.current();
    if (trace != null) {
      trace.writeTo(record.headers());
    }
    return record;
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }
}
