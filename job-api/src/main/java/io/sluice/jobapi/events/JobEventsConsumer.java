package io.sluice.jobapi.events;

import io.sluice.jobapi.job.JobEventHandler;
import io.sluice.lifecycle.BackgroundLoop;
import io.sluice.schemas.job.JobEvent;
import io.sluice.schemas.topic.DeadLetter;
import io.sluice.schemas.topic.Topic;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Consumes {@code sluice.jobs.events} and hands each event to the {@link JobEventHandler}. Offsets
 * are committed after the handler returned (at least once; the projection skips duplicates). A
 * record that cannot be read (unknown schema version, not JSON) goes to {@code
 * sluice.dead-letters}; a failure of the handler (the database) stops at that record, and the
 * {@link BackgroundLoop} this runs in retries it with backoff.
 *
 * <p>The Kafka consumer is used only on the loop's thread (it is single-threaded), and closed after
 * the loop stopped.
 */
public final class JobEventsConsumer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JobEventsConsumer.class);
  private static final Duration POLL_TIMEOUT = Duration.ofMillis(500);
  private static final long ACK_TIMEOUT_MS = 30_000;

  private final Consumer<String, byte[]> consumer;
  private final Producer<String, String> producer;
  private final Topic<String, JobEvent> eventsTopic;
  private final Topic<String, DeadLetter> deadLetters;
  private final JobEventHandler handler;
  private final Clock clock;
  private final BackgroundLoop loop;
  private boolean subscribed;

  public JobEventsConsumer(
      Consumer<String, byte[]> consumer,
      Producer<String, String> producer,
      Topic<String, JobEvent> eventsTopic,
      Topic<String, DeadLetter> deadLetters,
      JobEventHandler handler,
      Clock clock) {
    this.consumer = consumer;
    this.producer = producer;
    this.eventsTopic = eventsTopic;
    this.deadLetters = deadLetters;
    this.handler = handler;
    this.clock = clock;
    this.loop =
        new BackgroundLoop(
            "job events consumer", BackgroundLoop.Settings.idleWait(POLL_TIMEOUT), this::step);
  }

  public JobEventsConsumer start() {
    loop.start();
    return this;
  }

  private BackgroundLoop.Next step() {
    if (!subscribed) {
      consumer.subscribe(List.of(eventsTopic.name()));
      subscribed = true;
    }
    pollOnce();
    return BackgroundLoop.Next.MORE; // poll() itself waits up to POLL_TIMEOUT for records
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
      deadLetter(record, e);
      return;
    }
    if (event == null) {
      LOG.debug(
          "skipping empty record at {}-{}@{}", record.topic(), record.partition(), record.offset());
      return;
    }
    handler.project(event);
  }

  private void deadLetter(ConsumerRecord<String, byte[]> record, SerializationException reason) {
    String payload =
        record.value() == null ? null : new String(record.value(), StandardCharsets.UTF_8);
    DeadLetter letter =
        DeadLetter.of(record.topic(), record.key(), reason.getMessage(), payload, clock.instant());
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
    // The reason may quote the record (a parser's message shows the text it failed on): it goes
    // into the dead letter, not into the log.
    LOG.warn(
        "job event at {}-{}@{} (key {}) is unreadable and was sent to {}; its reason is there",
        record.topic(),
        record.partition(),
        record.offset(),
        record.key(),
        deadLetters.name());
  }

  /** Stops the loop after the poll under way, then closes the Kafka consumer. */
  @Override
  public void close() {
    loop.close();
    consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
  }
}
