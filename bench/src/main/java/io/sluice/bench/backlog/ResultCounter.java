package io.sluice.bench.backlog;

import io.sluice.schemas.task.TaskOutcome;
import io.sluice.schemas.task.TaskResult;
import io.sluice.schemas.topic.Topic;
import io.sluice.schemas.topic.TopicCatalog;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;

/** Reads the run's task results as they come and counts their ends (announced starts aside). */
public final class ResultCounter implements AutoCloseable {
  private final KafkaConsumer<String, TaskResult> consumer;
  private final Thread thread;
  private final AtomicLong succeeded = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private volatile boolean running = true;

  public ResultCounter(String bootstrap, TopicCatalog topics, String groupId) {
    Topic<String, TaskResult> results = topics.taskResults();
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
            bootstrap,
            ConsumerConfig.GROUP_ID_CONFIG,
            groupId,
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
            "earliest",
            ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG,
            100);
    consumer =
        new KafkaConsumer<>(
            config, results.keySerde().deserializer(), results.valueSerde().deserializer());
    consumer.subscribe(List.of(results.name()));
    thread = Thread.ofPlatform().daemon().name("results").start(this::loop);
  }

  private void loop() {
    try {
      while (running) {
        for (ConsumerRecord<String, TaskResult> record : consumer.poll(Duration.ofMillis(200))) {
          count(record.value());
        }
      }
    } catch (WakeupException e) {
      // closing
    } finally {
      consumer.close();
    }
  }

  private void count(TaskResult result) {
    if (result.outcome() == TaskOutcome.SUCCEEDED) {
      succeeded.incrementAndGet();
    } else if (result.outcome() == TaskOutcome.FAILED) {
      failed.incrementAndGet();
    }
  }

  public long succeeded() {
    return succeeded.get();
  }

  public long failed() {
    return failed.get();
  }

  /** Waits until no new result arrived for {@code quiet}, at most {@code max}. */
  public void awaitQuiet(Duration quiet, Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    long seen = -1;
    while (System.nanoTime() < deadline) {
      long now = succeeded() + failed();
      if (now == seen) {
        return;
      }
      seen = now;
      Thread.sleep(quiet);
    }
  }

  @Override
  public void close() {
    running = false;
    consumer.wakeup();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
