package io.sluice.schemas.topic;

import io.sluice.schemas.task.Lane;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsResult.ListOffsetsResultInfo;
import org.apache.kafka.clients.admin.ListShareGroupOffsetsSpec;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.SharePartitionOffsetInfo;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/**
 * Tasks waiting in each of a provider's realtime lanes: the share group's lag per partition
 * (records not yet acknowledged, held ones included), from the broker's persisted share state, and
 * the oldest of them: the timestamp of the record at each partition's share start offset (when the
 * dispatcher put it in the lane). A partition the group has never acknowledged a record of has no
 * share state yet; its whole log counts (the group starts at the earliest offset).
 *
 * <p>Used by one thread: the consumer that reads the oldest records is not thread-safe. The workers
 * read it for their scaling signal, job-api for its dashboard.
 */
public final class LaneBacklog implements AutoCloseable {
  private static final Duration TIMEOUT = Duration.ofSeconds(10);
  private static final Duration OLDEST_READ = Duration.ofSeconds(2);

  /**
   * One lane: tasks waiting, and when the oldest of them entered the lane (empty: none wait).
   *
   * @param waiting records not yet acknowledged by the share group
   * @param oldest the timestamp of the oldest of them
   */
  public record LaneState(long waiting, Optional<Instant> oldest) {}

  private final Admin admin;
  private final Consumer<byte[], byte[]> reader;
  private final String groupId;
  private final Map<Lane, String> topics;

  /**
   * @param admin the cluster's admin client (not closed here)
   * @param reader a consumer without a group, used to read the oldest records (closed here)
   * @param groupId the share group that consumes the lanes
   * @param topics each lane's topic
   */
  public LaneBacklog(
      Admin admin, Consumer<byte[], byte[]> reader, String groupId, Map<Lane, String> topics) {
    this.admin = admin;
    this.reader = reader;
    this.groupId = groupId;
    this.topics = Map.copyOf(topics);
  }

  /**
   * Each lane's backlog.
   *
   * @throws ExecutionException when the broker refuses a request
   * @throws TimeoutException when it does not answer in 10 s
   */
  public Map<Lane, LaneState> read()
      throws InterruptedException, ExecutionException, TimeoutException {
    List<TopicPartition> partitions = partitions();
    Map<TopicPartition, SharePartitionOffsetInfo> state = shareState();
    Map<TopicPartition, Long> earliest = offsets(partitions, OffsetSpec.earliest());
    Map<TopicPartition, Long> latest = offsets(partitions, OffsetSpec.latest());
    Map<String, Long> byTopic = new HashMap<>();
    Map<TopicPartition, Long> starts = new HashMap<>();
    for (TopicPartition partition : partitions) {
      SharePartitionOffsetInfo info = state.get(partition);
      long end = latest.getOrDefault(partition, 0L);
      long start = info == null ? earliest.getOrDefault(partition, 0L) : info.startOffset();
      long lag = info != null && info.lag().isPresent() ? info.lag().get() : end - start;
      byTopic.merge(partition.topic(), Math.max(0, lag), Long::sum);
      if (lag > 0) {
        starts.put(partition, start);
      }
    }
    Map<String, Instant> oldestByTopic = new HashMap<>();
    oldest(starts)
        .forEach(
            (partition, at) ->
                oldestByTopic.merge(partition.topic(), at, (a, b) -> a.isBefore(b) ? a : b));
    Map<Lane, LaneState> byLane = new LinkedHashMap<>();
    topics.forEach(
        (lane, topic) ->
            byLane.put(
                lane,
                new LaneState(
                    byTopic.getOrDefault(topic, 0L),
                    Optional.ofNullable(oldestByTopic.get(topic)))));
    return byLane;
  }

  /**
   * The share group's state per partition; none when the group does not exist yet (no worker has
   * joined it): then every record of the lanes waits.
   */
  private Map<TopicPartition, SharePartitionOffsetInfo> shareState()
      throws InterruptedException, ExecutionException, TimeoutException {
    try {
      return admin
          .listShareGroupOffsets(Map.of(groupId, new ListShareGroupOffsetsSpec()))
          .partitionsToOffsetInfo(groupId)
          .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof GroupIdNotFoundException) {
        return Map.of();
      }
      throw e;
    }
  }

  /** The timestamp of the record at each partition's start offset (those read in time). */
  private Map<TopicPartition, Instant> oldest(Map<TopicPartition, Long> starts) {
    Map<TopicPartition, Instant> first = new HashMap<>();
    if (starts.isEmpty()) {
      return first;
    }
    reader.assign(starts.keySet());
    starts.forEach(reader::seek);
    long deadline = System.nanoTime() + OLDEST_READ.toNanos();
    while (first.size() < starts.size() && System.nanoTime() < deadline) {
      for (ConsumerRecord<byte[], byte[]> record : reader.poll(Duration.ofMillis(100))) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        if (first.putIfAbsent(partition, Instant.ofEpochMilli(record.timestamp())) == null) {
          reader.pause(List.of(partition));
        }
      }
    }
    reader.assign(List.of());
    return first;
  }

  @Override
  public void close() {
    reader.close(Duration.ofSeconds(2));
  }

  private List<TopicPartition> partitions()
      throws InterruptedException, ExecutionException, TimeoutException {
    Map<String, TopicDescription> descriptions =
        admin
            .describeTopics(topics.values())
            .allTopicNames()
            .get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    return descriptions.values().stream()
        .flatMap(
            description ->
                description.partitions().stream()
                    .map(info -> new TopicPartition(description.name(), info.partition())))
        .toList();
  }

  private Map<TopicPartition, Long> offsets(List<TopicPartition> partitions, OffsetSpec spec)
      throws InterruptedException, ExecutionException, TimeoutException {
    Map<TopicPartition, OffsetSpec> request = new HashMap<>();
    partitions.forEach(partition -> request.put(partition, spec));
    Map<TopicPartition, ListOffsetsResultInfo> answer =
        admin.listOffsets(request).all().get(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
    Map<TopicPartition, Long> offsets = new HashMap<>();
    answer.forEach((partition, info) -> offsets.put(partition, info.offset()));
    return offsets;
  }
}
