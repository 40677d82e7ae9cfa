package io.sluice.jobapi.outbox.internal;

import io.sluice.jobapi.outbox.OutboxPublishException;
import io.sluice.jobapi.outbox.OutboxRecord;
import io.sluice.jobapi.store.Database;
import io.sluice.lifecycle.BackgroundLoop;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
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
 * least once: consumers dedupe by job ID). Runs as a {@link BackgroundLoop} step: a failure leaves
 * the rows in the outbox and the loop backs off.
 */
public final class OutboxRelay {
  private static final Logger LOG = LoggerFactory.getLogger(OutboxRelay.class);
  static final int BATCH_SIZE = 1000;
  private static final Duration ACK_TIMEOUT = Duration.ofSeconds(30);

  private final Database database;
  private final OutboxRepository outbox;
  private final Producer<String, String> producer;

  public OutboxRelay(
      Database database, OutboxRepository outbox, Producer<String, String> producer) {
    this.database = database;
    this.outbox = outbox;
    this.producer = producer;
  }

  /** Publishes one batch; more at once when the batch was full. */
  public BackgroundLoop.Next step() {
    return relayOnce() == BATCH_SIZE ? BackgroundLoop.Next.MORE : BackgroundLoop.Next.IDLE;
  }

  /** Publishes one batch; returns how many records it published. */
  private int relayOnce() {
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

  private void publish(List<OutboxRecord> batch) {
    List<Future<RecordMetadata>> acks = new ArrayList<>(batch.size());
    for (OutboxRecord record : batch) {
      acks.add(producer.send(producerRecordOf(record)));
    }
    for (int i = 0; i < acks.size(); i++) {
      awaitAck(acks.get(i), batch.get(i));
    }
    LOG.debug("outbox relay published {} records", batch.size());
  }

  /** The record, with the trace context it was written in as its headers. */
  static ProducerRecord<String, String> producerRecordOf(OutboxRecord record) {
    ProducerRecord<String, String> produced =
        new ProducerRecord<>(record.topic(), record.key(), record.payload());
    if (record.trace() != null) {
      record.trace().writeTo(produced.headers());
    }
    return produced;
  }

  private static void awaitAck(Future<RecordMetadata> ack, OutboxRecord record) {
    try {
      ack.get(ACK_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      throw new OutboxPublishException(
          "Kafka did not acknowledge the "
              + record.topic()
              + " record for "
              + record.key()
              + "; it stays in the outbox",
          e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new OutboxPublishException("interrupted while publishing " + record.key(), e);
    }
  }
}
