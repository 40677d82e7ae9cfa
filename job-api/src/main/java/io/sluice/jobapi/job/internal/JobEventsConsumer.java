package io.sluice.jobapi.job.internal;

import io.sluice.schemas.job.JobEvent;
import io.sluice.schemas.topic.DeadLetter;
import io.sluice.schemas.topic.Topic;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes {@code sluice.jobs.events} and projects each event into the job row. Offsets are
 * committed after the row is updated (at least once; the projection skips duplicates). A record
 * that cannot be read (unknown schema version, not JSON) goes to {@code sluice.dead-letters}; a
 * database failure stops at that record and retries it after a pause.
 */
public final class JobEventsConsumer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JobEventsConsumer.class);
  private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
  private static final long ACK_TIMEOUT_MS = 30_000;

  private final Consumer<String, byte[]> consumer;
  private final Producer<String, String> producer;
  private final Topic<String, JobEvent> eventsTopic;
  private final Topic<String, DeadLetter> deadLetters;
  private final JobEventProjector projector;
  private final Clock clock;
  private final Thread thread;
  private final CountDownLatch stopping = new CountDownLatch(1);
  private volatile boolean running = true;

  public JobEventsConsumer(
      Consumer<String, byte[]> consumer,
      Producer<String, String> producer,
      Topic<String, JobEvent> eventsTopic,
      Topic<String, DeadLetter> deadLetters,
      JobEventProjector projector,
      Clock clock) {
    this.consumer = consumer;
    this.producer = producer;
    this.eventsTopic = eventsTopic;
    this.deadLetters = deadLetters;
    this.projector = projector;
    this.clock = clock;
    this.thread = new Thread(this::loop, "sluice-job-api-events-consumer");
    this.thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  private void loop() {
    int failures = 0;
    try {
      consumer.subscribe(List.of(eventsTopic.name()));
      while (running) {
        try {
          pollOnce();
          failures = 0;
        } catch (WakeupException e) {
          LOG.debug("events consumer woken up to stop");
        } catch (RuntimeException e) {
          failures++;
          long backoff = Math.min(100L << Math.min(failures, 10), MAX_BACKOFF.toMillis());
          LOG.warn(
              "projecting job events failed ({}); retrying from the failed record in {} ms",
              e.getMessage(),
              backoff);
          pause(backoff);
        }
      }
    } finally {
      consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
    }
  }

  private void pollOnce() {
    ConsumerRecords<String, byte[]> records = consumer.poll(POLL_TIMEOUT);
    List<TopicPartition> pending = new ArrayList<>(records.partitions());
    try {
      while (!pending.isEmpty()) {
        processPartition(pending.getFirst(), records.records(pending.getFirst()));
        pending.removeFirst();
      }
    } catch (RuntimeException e) {
      // processPartition rewound the failed partition; rewind the untouched ones too.
      pending.stream()
          .skip(1)
          .forEach(p -> consumer.seek(p, records.records(p).getFirst().offset()));
      throw e;
    }
  }

  private void processPartition(
      TopicPartition partition, List<ConsumerRecord<String, byte[]>> records) {
    long next = records.getFirst().offset();
    try {
      for (ConsumerRecord<String, byte[]> record : records) {
        handle(record);
        next = record.offset() + 1;
      }
    } catch (RuntimeException e) {
      consumer.seek(partition, next);
      throw e;
    } finally {
      consumer.commitSync(Map.of(partition, new OffsetAndMetadata(next)));
    }
  }

  private void handle(ConsumerRecord<String, byte[]> record) {
    JobEvent event;
    try {
      event = eventsTopic.valueSerde().deserializer().deserialize(record.topic(), record.value());
    } catch (SerializationException e) {
      deadLetter(record, e.getMessage());
      return;
    }
    if (event == null) {
      LOG.debug(
          "skipping empty record at {}-{}@{}", record.topic(), record.partition(), record.offset());
      return;
    }
    projector.project(event);
  }

  private void deadLetter(ConsumerRecord<String, byte[]> record, String reason) {
    String payload =
        record.value() == null ? null : new String(record.value(), StandardCharsets.UTF_8);
    DeadLetter letter =
        DeadLetter.of(record.topic(), record.key(), reason, payload, clock.instant());
    byte[] value = deadLetters.valueSerde().serializer().serialize(deadLetters.name(), letter);
    try {
      producer
          .send(
              new ProducerRecord<>(
                  deadLetters.name(), record.key(), new String(value, StandardCharsets.UTF_8)))
          .get(ACK_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new IllegalStateException("cannot write a dead letter for " + record.key(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while writing a dead letter", e);
    }
    LOG.warn(
        "job event at {}-{}@{} (key {}) sent to {}: {}",
        record.topic(),
        record.partition(),
        record.offset(),
        record.key(),
        deadLetters.name(),
        reason);
  }

  private void pause(long millis) {
    try {
      stopping.await(millis, TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  @Override
  public void close() {
    running = false;
    stopping.countDown();
    consumer.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
