package io.sluice.bench.backlog;

import io.sluice.schemas.Versioned;
import io.sluice.schemas.job.CompletionSpec;
import io.sluice.schemas.task.Lane;
import io.sluice.schemas.task.Task;
import io.sluice.schemas.topic.Topic;
import io.sluice.schemas.topic.TopicCatalog;
import io.sluice.schemas.topic.TopicProvisioner;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Writes a backlog of tasks straight onto a provider's lane topic, as the dispatcher would, so the
 * benchmark measures workers and the limiter alone.
 */
public final class BacklogProducer {
  public static final Lane LANE = Lane.STANDARD;
  public static final int PARTITIONS = 6;

  private BacklogProducer() {}

  /** Creates the run's topics and writes tasks {@code 0..count-1} of the shape. */
  public static void produce(
      String bootstrap,
      TopicCatalog topics,
      String provider,
      String model,
      BacklogShape shape,
      String run,
      long count) {
    Topic<String, Task> lane = topics.tasks(provider, LANE);
    new TopicProvisioner(bootstrap, PARTITIONS, (short) 1)
        .ensure(
            List.of(
                topics.tasks(provider, Lane.INTERACTIVE).name(),
                lane.name(),
                topics.tasks(provider, Lane.BULK).name(),
                topics.taskResults().name(),
                topics.deadLetters().name()));
    Map<String, Object> config =
        Map.of(
            ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ProducerConfig.LINGER_MS_CONFIG,
            20,
            ProducerConfig.BATCH_SIZE_CONFIG,
            512 * 1024,
            ProducerConfig.ACKS_CONFIG,
            "all");
    Instant now = Instant.now();
    try (KafkaProducer<String, Task> producer =
        new KafkaProducer<>(config, lane.keySerde().serializer(), lane.valueSerde().serializer())) {
      for (long i = 0; i < count; i++) {
        Task task = task(shape.task(i), provider, model, run, now);
        producer.send(new ProducerRecord<>(lane.name(), task.taskId(), task));
      }
      producer.flush();
    }
  }

  /** The task of one shape. */
  public static Task task(TaskShape shape, String provider, String model, String run, Instant now) {
    String id = shape.taskId(run);
    CompletionSpec request =
        new CompletionSpec(
            model,
            List.of(PromptText.userMessage(shape.promptTokens(), shape.index())),
            shape.maxTokens(),
            null,
            null);
    return new Task(
        Versioned.CURRENT,
        id,
        id,
        "bench",
        provider,
        LANE,
        request,
        shape.estimatedInputTokens(),
        now,
        null);
  }
}
