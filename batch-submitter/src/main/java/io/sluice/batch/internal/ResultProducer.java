package io.sluice.batch.internal;

import io.sluice.schemas.task.Lane;
import io.sluice.schemas.task.Task;
import io.sluice.schemas.task.TaskResult;
import io.sluice.schemas.topic.DeadLetter;
import io.sluice.schemas.topic.Topic;
import io.sluice.schemas.topic.TopicCatalog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes task results (keyed by job ID), tasks falling back to a realtime lane (keyed by task
 * ID) and dead letters; waits until Kafka has them.
 */
final class ResultProducer implements AutoCloseable {
  private static final Duration SEND_TIMEOUT = Duration.ofSeconds(30);

  private final KafkaProducer<String, byte[]> producer;
  private final Topic<String, TaskResult> results;
  private final Topic<String, DeadLetter> deadLetters;
  private final TopicCatalog topics;
  private final Lane fallbackLane;

  /**
   * @param fallbackLane the realtime lane that tasks fall back to when their deadline is near
   */
  ResultProducer(
      String bootstrapServers, TopicCatalog topics, Map<String, String> extra, Lane fallbackLane) {
    Map<String, Object> config = new HashMap<>(extra);
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ProducerConfig.CLIENT_ID_CONFIG, "sluice-batch-submitter");
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.put(ProducerConfig.LINGER_MS_CONFIG, 5);
    this.producer = new KafkaProducer<>(config, new StringSerializer(), new ByteArraySerializer());
    this.results = topics.taskResults();
    this.deadLetters = topics.deadLetters();
    this.topics = topics;
    this.fallbackLane = fallbackLane;
  }

  /**
   * Produces each task, unchanged but for its lane, to its provider's fallback lane, and returns
   * once every one is acknowledged.
   */
  void fallBack(List<Task> tasks) {
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    for (Task task : tasks) {
      Topic<String, Task> lane = topics.tasks(task.provider(), fallbackLane);
      Task moved =
          new Task(
              task.schemaVersion(),
              task.taskId(),
              task.jobId(),
              task.tenantId(),
              task.provider(),
              fallbackLane,
              task.request(),
              task.estimatedInputTokens(),
              task.createdAt(),
              task.deadline());
      byte[] value = lane.valueSerde().serializer().serialize(lane.name(), moved);
      sent.add(producer.send(new ProducerRecord<>(lane.name(), task.taskId(), value)));
    }
    producer.flush();
    sent.forEach(this::await);
  }

  /** Sends the results and returns once every one is acknowledged. */
  void publish(List<TaskResult> batch) {
    List<Future<RecordMetadata>> sent = new ArrayList<>();
    for (TaskResult result : batch) {
      byte[] value = results.valueSerde().serializer().serialize(results.name(), result);
      sent.add(producer.send(new ProducerRecord<>(results.name(), result.jobId(), value)));
    }
    producer.flush();
    sent.forEach(this::await);
  }

  void deadLetter(String key, DeadLetter letter) {
    byte[] value = deadLetters.valueSerde().serializer().serialize(deadLetters.name(), letter);
    await(producer.send(new ProducerRecord<>(deadLetters.name(), key, value)));
  }

  private void await(Future<RecordMetadata> future) {
    try {
      future.get(SEND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new KafkaException("interrupted while publishing", e);
    } catch (ExecutionException | TimeoutException e) {
      throw new KafkaException("cannot publish task results: " + e.getClass().getSimpleName(), e);
    }
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(10));
  }
}
