package io.sluice.batch.internal;

import io.sluice.batch.store.StoreUnavailableException;
import io.sluice.lifecycle.BackgroundLoop;
import io.sluice.schemas.job.JobControl;
import io.sluice.schemas.job.Placement;
import io.sluice.schemas.json.Json;
import io.sluice.schemas.json.JsonSerde;
import io.sluice.schemas.task.Task;
import io.sluice.schemas.topic.DeadLetter;
import io.sluice.schemas.topic.Topic;
import io.sluice.tokens.TokenEstimator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The intake loop's step: polls the deferred lanes, records every task as a pending item (with its
 * {@code pending} placement to publish) in one transaction, and only after that commit commits the
 * consumer offsets. A crash in between delivers the records again; the insert ignores tasks it
 * already has. A plain consumer group suffices here: the work per record is one insert, so nothing
 * is gained by share-group delivery. A record that is not a readable task goes to the dead-letter
 * topic.
 *
 * <p>The same consumer reads {@code jobs.control}, so cancels and tasks are recorded by one thread,
 * in order, in the same transactions: a cancel records its job as cancelled and drops the job's
 * unfinished items; a task of a job recorded as cancelled (its cancel overtook it) is stored and
 * dropped at once, without a placement. Cancels older than {@link #CANCEL_MEMORY} are forgotten.
 */
final class DeferredIntake implements BackgroundLoop.Step, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DeferredIntake.class);
  private static final Duration POLL = Duration.ofMillis(500);
  private static final JsonSerde<Task> TASKS = JsonSerde.of(Task.class);
  private static final JsonSerde<JobControl> CONTROLS = JsonSerde.of(JobControl.class);

  /** How long a cancel is remembered for tasks of its job that come after it. */
  static final Duration CANCEL_MEMORY = Duration.ofDays(7);

  /** What a batch line adds to the request itself ({@code custom_id}, method, url, framing). */
  private static final long LINE_OVERHEAD_BYTES = 256;

  private final KafkaConsumer<String, byte[]> consumer;
  private final Store store;
  private final ResultProducer producer;
  private final Clock clock;
  private final Runnable received;
  private final String controlTopic;

  /**
   * @param lanes the deferred lanes to read tasks from
   * @param controlTopic {@code jobs.control}, read for cancels
   */
  DeferredIntake(
      String bootstrapServers,
      String groupId,
      List<Topic<String, Task>> lanes,
      String controlTopic,
      Map<String, String> extra,
      Store store,
      ResultProducer producer,
      Clock clock,
      Runnable received) {
    Map<String, Object> config = new HashMap<>(extra);
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 1000);
    this.consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    List<String> topics = new ArrayList<>(lanes.stream().map(Topic::name).toList());
    topics.add(controlTopic);
    this.consumer.subscribe(topics);
    this.controlTopic = controlTopic;
    this.store = store;
    this.producer = producer;
    this.clock = clock;
    this.received = received;
  }

  @Override
  public BackgroundLoop.Next run() {
    ConsumerRecords<String, byte[]> records = consumer.poll(POLL);
    if (records.isEmpty()) {
      return BackgroundLoop.Next.MORE;
    }
    List<Incoming> tasks = new ArrayList<>();
    Set<String> cancels = new LinkedHashSet<>();
    for (ConsumerRecord<String, byte[]> record : records) {
      if (record.topic().equals(controlTopic)) {
        readCancel(record, cancels);
      } else {
        readTask(record, tasks);
      }
    }
    int added = record(tasks, cancels);
    consumer.commitSync();
    if (added > 0) {
      received.run();
    }
    return BackgroundLoop.Next.MORE;
  }

  private void readTask(ConsumerRecord<String, byte[]> record, List<Incoming> tasks) {
    try {
      Task task = TASKS.fromBytes(record.value());
      byte[] spec = Json.mapper().writeValueAsBytes(task.request());
      String json = new String(TASKS.toBytes(task), StandardCharsets.UTF_8);
      tasks.add(new Incoming(task, json, spec.length + LINE_OVERHEAD_BYTES, inputTokens(task)));
    } catch (IOException | RuntimeException e) {
      LOG.warn(
          "record {}-{}@{} is not a readable task ({}); sent to the dead-letter topic",
          record.topic(),
          record.partition(),
          record.offset(),
          e.getClass().getSimpleName());
      producer.deadLetter(
          record.key(),
          DeadLetter.of(
              record.topic(),
              record.key(),
              "not a readable task: " + e.getClass().getSimpleName(),
              record.value() == null ? null : new String(record.value(), StandardCharsets.UTF_8),
              clock.instant()));
    }
  }

  private static void readCancel(ConsumerRecord<String, byte[]> record, Set<String> cancels) {
    try {
      JobControl control = CONTROLS.fromBytes(record.value());
      if (control.action() == JobControl.Action.CANCEL && control.jobId() != null) {
        cancels.add(control.jobId());
      }
    } catch (RuntimeException e) {
      LOG.warn(
          "record {}-{}@{} is not a readable control record ({}); skipped",
          record.topic(),
          record.partition(),
          record.offset(),
          e.getClass().getSimpleName());
    }
  }

  private int record(List<Incoming> tasks, Set<String> cancels) {
    Instant now = clock.instant();
    try {
      return store
          .db()
          .inTransaction(
              "record deferred tasks and cancels",
              c -> {
                recordCancels(c, cancels, now);
                Set<String> cancelled =
                    store
                        .items()
                        .cancelledAmong(c, tasks.stream().map(in -> in.task.jobId()).toList());
                List<Store.Move> moves = new ArrayList<>();
                for (Incoming incoming : tasks) {
                  OptionalLong itemId =
                      store
                          .items()
                          .insertIfAbsent(
                              c,
                              incoming.task,
                              incoming.json,
                              incoming.lineBytes,
                              incoming.inputTokens,
                              now);
                  if (itemId.isPresent() && cancelled.contains(incoming.task.jobId())) {
                    store.items().cancelJob(c, incoming.task.jobId(), now);
                  } else if (itemId.isPresent()) {
                    moves.add(
                        new Store.Move(
                            itemId.getAsLong(),
                            incoming.task,
                            new Placement(Placement.Stage.PENDING, null, 1, now)));
                  }
                }
                store.placeAll(c, moves);
                return moves.size();
              });
    } catch (StoreUnavailableException e) {
      rewind();
      throw e;
    }
  }

  private void recordCancels(Connection c, Set<String> cancels, Instant now) throws SQLException {
    if (cancels.isEmpty()) {
      return;
    }
    int dropped = 0;
    for (String jobId : cancels) {
      dropped += store.items().recordCancel(c, jobId, now);
    }
    store.items().forgetCancelsBefore(c, now.minus(CANCEL_MEMORY));
    LOG.info("{} job(s) cancelled: {} deferred item(s) dropped", cancels.size(), dropped);
  }

  /** Goes back to the committed offsets, so the records not recorded are polled again. */
  private void rewind() {
    Set<TopicPartition> assigned = consumer.assignment();
    Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(assigned);
    for (TopicPartition partition : assigned) {
      OffsetAndMetadata offset = committed.get(partition);
      if (offset == null) {
        consumer.seekToBeginning(List.of(partition));
      } else {
        consumer.seek(partition, offset.offset());
      }
    }
  }

  /**
   * The prompt tokens it adds to the provider's batch queue: the dispatcher's estimate on the task
   * (the one the workers reserve), or the same estimator's count when the task carries none.
   */
  private static long inputTokens(Task task) {
    return task.estimatedInputTokens() > 0
        ? task.estimatedInputTokens()
        : TokenEstimator.inputTokens(task.request());
  }

  /** A task read from the lane, with its stored form, estimated line size and prompt tokens. */
  private record Incoming(Task task, String json, long lineBytes, long inputTokens) {}

  @Override
  public void close() {
    consumer.close(CloseOptions.timeout(Duration.ofSeconds(5)));
  }
}
