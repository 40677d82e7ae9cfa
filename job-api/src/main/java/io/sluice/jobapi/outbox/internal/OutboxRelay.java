package io.sluice.jobapi.outbox.internal;

import io.sluice.jobapi.internal.Database;
import io.sluice.jobapi.outbox.OutboxPublishException;
import io.sluice.jobapi.outbox.OutboxRecord;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes outbox rows to Kafka and deletes them once the broker acknowledged them, inside the
 * transaction that locked them. A crash before the delete leaves the rows for the next relay (at
 * least once: consumers dedupe by job ID). Woken right after each job commit; polls as a fallback
 * for rows other instances left behind.
 */
public final class OutboxRelay implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);
  private static final int BATCH_SIZE = 200;
  private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration MAX_BACKOFF = Duration.ofSeconds(10);

  private final Database database;
  private final OutboxRepository outbox;
  private final Producer<String, String> producer;
  private final Duration pollInterval;
  private final Semaphore wakeups = new Semaphore(0);
  private final Thread thread;
  private volatile boolean running = true;

  public OutboxRelay(
      Database database,
      OutboxRepository outbox,
      Producer<String, String> producer,
      Duration pollInterval) {
    this.database = database;
    this.outbox = outbox;
    this.producer = producer;
    this.pollInterval = pollInterval;
    this.thread = new Thread(this::loop, "sluice-job-api-outbox-relay");
    this.thread.setDaemon(true);
  }

  public void start() {
    thread.start();
  }

  /** Asks the relay to look at the outbox now (called after each job commit). */
  public void wake() {
    wakeups.release();
  }

  /** Publishes one batch; returns how many records it published. */
  public int relayOnce() {
    return database.inTransaction(
        connection -> {
          List<OutboxRecord> batch = outbox.lockBatch(connection, BATCH_SIZE);
          if (!batch.isEmpty()) {
            publish(batch);
            outbox.delete(connection, batch);
          }
          return batch.size();
        });
  }

  private void loop() {
    int failures = 0;
    while (running) {
      try {
        int published = relayOnce();
        failures = 0;
        if (published < BATCH_SIZE) {
          awaitWakeup(pollInterval);
        }
      } catch (RuntimeException e) {
        failures++;
        Duration backoff = backoff(failures);
        LOG.warn(
            "outbox relay failed ({}); the records stay in the outbox, retrying in {} ms",
            e.getMessage(),
            backoff.toMillis());
        awaitWakeup(backoff);
      }
    }
  }

  private void publish(List<OutboxRecord> batch) {
    List<Future<RecordMetadata>> acks = new ArrayList<>(batch.size());
    for (OutboxRecord record : batch) {
      acks.add(producer.send(new ProducerRecord<>(record.topic(), record.key(), record.payload())));
    }
    for (int i = 0; i < acks.size(); i++) {
      awaitAck(acks.get(i), batch.get(i));
    }
    LOG.debug("outbox relay published {} records", batch.size());
  }

  private static void awaitAck(Future<RecordMetadata> ack, OutboxRecord record) {
    try {
      ack.get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new OutboxPublishException(
          "Kafka did not acknowledge " + record.topic() + " record for " + record.key(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OutboxPublishException("interrupted while publishing " + record.key(), e);
    }
  }

  private static Duration backoff(int failures) {
    long millis = 100L << Math.min(failures, 10);
    return Duration.ofMillis(Math.min(millis, MAX_BACKOFF.toMillis()));
  }

  private void awaitWakeup(Duration timeout) {
    try {
      wakeups.tryAcquire(timeout.toMillis(), TimeUnit.MILLISECONDS);
      wakeups.drainPermits();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
    }
  }

  @Override
  public void close() {
    running = false;
    wakeups.release();
    try {
      thread.join(ACK_TIMEOUT.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
