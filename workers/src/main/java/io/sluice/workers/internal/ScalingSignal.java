package io.sluice.workers.internal;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.lane.LanePolicy;
import io.sluice.ratelimit.BucketLimit;
import io.sluice.ratelimit.LimitKey;
import io.sluice.ratelimit.Meter;
import io.sluice.ratelimit.RateLimiter;
import io.sluice.ratelimit.RateLimits;
import io.sluice.scaling.ModelLimit;
import io.sluice.scaling.WorkerDemand;
import io.sluice.schemas.task.Lane;
import io.sluice.schemas.topic.LaneBacklog;
import io.sluice.workers.WorkerSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pool's scaling signal, measured every {@link WorkerSettings#scalingInterval()}: the backlog of
 * each realtime lane (share-group lag) and {@link WorkerDemand}'s answer from it, this pool's
 * recent calls and the rate limiter's configured limits. Published as gauges:
 *
 * <ul>
 *   <li>{@code sluice_lane_backlog{provider,lane}}: tasks waiting (not yet acknowledged)
 *   <li>{@code sluice_lane_oldest_task_age_seconds{provider,lane}}: how long the oldest of them has
 *       been in the lane (0 when none waits)
 *   <li>{@code sluice_workers_desired{provider}}: instances that can do useful work now — what KEDA
 *       scales on
 *   <li>{@code sluice_workers_limit_cap{provider}}: instances the provider's limits can keep busy;
 *       {@code desired} never exceeds it
 * </ul>
 *
 * Every instance publishes the same figures (the backlog and the limits are shared); the chart's
 * query takes their maximum. Before the pool's first call an instance's speed is taken from an
 * assumed call time of {@link #ASSUMED_CALL_TIME}.
 */
public final class ScalingSignal implements AutoCloseable {
  static final Duration ASSUMED_CALL_TIME = Duration.ofSeconds(2);
  private static final Logger LOG = LoggerFactory.getLogger(ScalingSignal.class);

  private final WorkerSettings settings;
  private final RecentCalls recent;
  private final List<ModelLimit> limits;
  private final WorkerDemand demand;
  private final Admin admin;
  private final LaneBacklog backlog;
  private final Map<Lane, AtomicLong> lanes = new EnumMap<>(Lane.class);
  private final Map<Lane, AtomicLong> oldestAgeMillis = new EnumMap<>(Lane.class);
  private final Clock clock;
  private final AtomicLong desired = new AtomicLong(-1);
  private final AtomicLong cap = new AtomicLong(-1);
  private final List<io.micrometer.core.instrument.Meter> meters = new ArrayList<>();
  private final Thread loop;
  private volatile boolean failing;

  private ScalingSignal(
      WorkerSettings settings, RecentCalls recent, List<ModelLimit> limits, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    this.recent = recent;
    this.limits = limits;
    this.demand = new WorkerDemand(settings.scaling());
    Map<String, Object> config = new HashMap<>(settings.clientProperties());
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    config.put(AdminClientConfig.CLIENT_ID_CONFIG, settings.groupId() + "-scaling");
    this.admin = Admin.create(config);
    Map<Lane, String> topics = new EnumMap<>(Lane.class);
    for (Lane lane : new LanePolicy().realtimeLanes()) {
      topics.put(lane, settings.topics().tasks(settings.provider(), lane).name());
      lanes.put(lane, new AtomicLong(-1));
      oldestAgeMillis.put(lane, new AtomicLong(-1));
    }
    this.backlog = new LaneBacklog(admin, reader(settings), settings.groupId(), topics);
    register(settings.meters());
    this.loop = Thread.ofVirtual().name("scaling-signal-" + settings.provider()).start(this::run);
  }

  /** Starts measuring for a pool; {@code limiter} may be null (no limits: nothing caps). */
  static ScalingSignal start(
      WorkerSettings settings, RecentCalls recent, RateLimiter limiter, Clock clock) {
    return new ScalingSignal(settings, recent, limits(settings.provider(), limiter), clock);
  }

  /** A plain consumer without a group, assigned partitions by hand to read the oldest records. */
  private static Consumer<byte[], byte[]> reader(WorkerSettings settings) {
    Map<String, Object> config = new HashMap<>(settings.clientProperties());
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    config.put(ConsumerConfig.CLIENT_ID_CONFIG, settings.groupId() + "-scaling-reader");
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 20);
    config.remove(ConsumerConfig.GROUP_ID_CONFIG);
    return new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  private void run() {
    while (!Thread.currentThread().isInterrupted()) {
      try {
        measure();
        Thread.sleep(settings.scalingInterval());
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void measure() throws InterruptedException {
    Map<Lane, LaneBacklog.LaneState> waiting;
    try {
      waiting = backlog.read();
    } catch (ExecutionException | TimeoutException e) {
      if (!failing) {
        LOG.debug("cannot read the lane backlog of {}: {}", settings.provider(), e.toString());
      }
      failing = true;
      return;
    }
    failing = false;
    Instant now = clock.instant();
    waiting.forEach(
        (lane, state) -> {
          lanes.get(lane).set(state.waiting());
          oldestAgeMillis
              .get(lane)
              .set(
                  state
                      .oldest()
                      .map(at -> Math.max(0, Duration.between(at, now).toMillis()))
                      .orElse(0L));
        });
    long total = waiting.values().stream().mapToLong(LaneBacklog.LaneState::waiting).sum();
    double callSeconds = recent.meanCallTime().orElse(ASSUMED_CALL_TIME).toNanos() / 1e9;
    double perInstance = settings.concurrency() * 60 / Math.max(0.001, callSeconds);
    WorkerDemand.Signal signal = demand.desired(total, recent.shapes(), limits, perInstance);
    desired.set(signal.desired());
    cap.set(signal.cap());
  }

  private void register(MeterRegistry registry) {
    String provider = settings.provider();
    lanes.forEach(
        (lane, value) ->
            meters.add(
                Gauge.builder("sluice.lane.backlog", value, ScalingSignal::orNaN)
                    .description("Tasks waiting in a realtime lane (not yet acknowledged)")
                    .tags("provider", provider, "lane", lane.topicSegment())
                    .register(registry)));
    oldestAgeMillis.forEach(
        (lane, value) ->
            meters.add(
                Gauge.builder(
                        "sluice.lane.oldest.task.age",
                        value,
                        millis -> millis.get() < 0 ? Double.NaN : millis.get() / 1000.0)
                    .description("How long the oldest task waiting in a realtime lane has waited")
                    .baseUnit("seconds")
                    .tags("provider", provider, "lane", lane.topicSegment())
                    .register(registry)));
    meters.add(
        Gauge.builder("sluice.workers.desired", desired, ScalingSignal::orNaN)
            .description("Worker instances that can do useful work now (the scaling signal)")
            .tag("provider", provider)
            .register(registry));
    meters.add(
        Gauge.builder("sluice.workers.limit.cap", cap, ScalingSignal::orNaN)
            .description("Worker instances the provider's rate limits can keep busy")
            .tag("provider", provider)
            .register(registry));
  }

  private static double orNaN(AtomicLong value) {
    long v = value.get();
    return v < 0 ? Double.NaN : v;
  }

  /** The configured limits of the provider's models, per minute (a per-day bucket averaged). */
  static List<ModelLimit> limits(String provider, RateLimiter limiter) {
    if (limiter == null) {
      return List.of();
    }
    List<ModelLimit> models = new ArrayList<>();
    for (Map.Entry<LimitKey, RateLimits> entry : limiter.limits().entrySet()) {
      if (!entry.getKey().provider().equals(provider)) {
        continue;
      }
      Map<Meter, Double> perMinute = new EnumMap<>(Meter.class);
      for (BucketLimit bucket : entry.getValue().buckets()) {
        double rate = bucket.capacity() * 60_000.0 / bucket.period().toMillis();
        perMinute.merge(bucket.meter(), rate, Math::min);
      }
      models.add(
          new ModelLimit(
              entry.getKey().model(),
              perMinute.getOrDefault(Meter.REQUESTS, Double.POSITIVE_INFINITY),
              perMinute.getOrDefault(Meter.TOKENS, Double.POSITIVE_INFINITY),
              perMinute.getOrDefault(Meter.INPUT_TOKENS, Double.POSITIVE_INFINITY),
              perMinute.getOrDefault(Meter.OUTPUT_TOKENS, Double.POSITIVE_INFINITY)));
    }
    return List.copyOf(models);
  }

  @Override
  public void close() {
    loop.interrupt();
    try {
      loop.join(Duration.ofSeconds(5));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    backlog.close();
    admin.close(Duration.ofSeconds(2));
    meters.forEach(settings.meters()::remove);
  }
}
