package io.sluice.jobapi.dashboard.internal;

import io.sluice.jobapi.dashboard.DashboardSummary.LaneBacklogView;
import io.sluice.jobapi.dashboard.DashboardSummary.Panel;
import io.sluice.lane.LanePolicy;
import io.sluice.schemas.task.Lane;
import io.sluice.schemas.topic.LaneBacklog;
import io.sluice.schemas.topic.TopicCatalog;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The realtime lanes' backlog per provider, read with the workers' own {@link LaneBacklog} (the
 * share group's lag and the oldest waiting record) and kept for {@link #FRESH}: however many pages
 * refresh, Kafka is asked at most once per provider in that time. The Kafka clients are created at
 * the first read.
 */
public final class LaneBacklogs implements AutoCloseable {
  static final Duration FRESH = Duration.ofSeconds(3);

  private final String bootstrap;
  private final String clientId;
  private final TopicCatalog topics;
  private final List<String> providers;
  private final Clock clock;
  private final Map<String, LaneBacklog> backlogs = new LinkedHashMap<>();
  private Admin admin;
  private Panel<LaneBacklogView> last;
  private Instant readAt = Instant.EPOCH;

  public LaneBacklogs(
      String bootstrap, String clientId, TopicCatalog topics, List<String> providers, Clock clock) {
    this.bootstrap = bootstrap;
    this.clientId = clientId;
    this.topics = topics;
    this.providers = List.copyOf(providers);
    this.clock = clock;
  }

  /** Every provider's lanes, or why they cannot be read now. */
  public synchronized Panel<LaneBacklogView> read() {
    Instant now = clock.instant();
    if (last == null || !now.isBefore(readAt.plus(FRESH))) {
      last = readNow(now);
      readAt = now;
    }
    return last;
  }

  private Panel<LaneBacklogView> readNow(Instant now) {
    List<LaneBacklogView> rows = new ArrayList<>();
    try {
      for (String provider : providers) {
        Map<Lane, LaneBacklog.LaneState> lanes = lanesOf(provider);
        for (Lane lane : new LanePolicy().realtimeLanes()) {
          rows.add(view(provider, lane, lanes.get(lane), now));
        }
      }
      return Panel.of(rows);
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
      return Panel.unavailable(
          "Kafka did not answer the lanes' offsets requests: " + cause.getClass().getSimpleName());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Panel.unavailable("interrupted");
    }
  }

  /** A provider's lanes; all empty when their topics do not exist yet (nothing was routed). */
  private Map<Lane, LaneBacklog.LaneState> lanesOf(String provider)
      throws InterruptedException, ExecutionException, TimeoutException {
    try {
      return backlog(provider).read();
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
        throw e;
      }
      Map<Lane, LaneBacklog.LaneState> none = new EnumMap<>(Lane.class);
      new LanePolicy()
          .realtimeLanes()
          .forEach(lane -> none.put(lane, new LaneBacklog.LaneState(0, Optional.empty())));
      return none;
    }
  }

  private static LaneBacklogView view(
      String provider, Lane lane, LaneBacklog.LaneState state, Instant now) {
    double oldestAge =
        state
            .oldest()
            .map(at -> Math.max(0, Duration.between(at, now).toMillis()) / 1e3)
            .orElse(0.0);
    return new LaneBacklogView(provider, lane.topicSegment(), state.waiting(), oldestAge);
  }

  private LaneBacklog backlog(String provider) {
    LaneBacklog backlog = backlogs.get(provider);
    if (backlog == null) {
      Map<Lane, String> lanes = new EnumMap<>(Lane.class);
      for (Lane lane : new LanePolicy().realtimeLanes()) {
        lanes.put(lane, topics.tasks(provider, lane).name());
      }
      backlog =
          new LaneBacklog(admin(), reader(provider), topics.workersShareGroup(provider), lanes);
      backlogs.put(provider, backlog);
    }
    return backlog;
  }

  private Admin admin() {
    if (admin == null) {
      admin =
          Admin.create(
              Map.of(
                  AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                  bootstrap,
                  AdminClientConfig.CLIENT_ID_CONFIG,
                  clientId + "-dashboard"));
    }
    return admin;
  }

  private KafkaConsumer<byte[], byte[]> reader(String provider) {
    Map<String, Object> config = new HashMap<>();
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, clientId + "-dashboard-" + provider);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 20);
    return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  @Override
  public synchronized void close() {
    backlogs.values().forEach(LaneBacklog::close);
    backlogs.clear();
    if (admin != null) {
      admin.close(Duration.ofSeconds(2));
      admin = null;
    }
  }
}
