package io.sluice.workers.internal;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.sluice.lane.DeadlinePolicy;
import io.sluice.lane.LanePolicy;
import io.sluice.observability.tracing.Tracing;
import io.sluice.providers.Provider;
import io.sluice.providers.ProviderException;
import io.sluice.ratelimit.RateLimiter;
import io.sluice.schemas.task.Lane;
import io.sluice.schemas.topic.TopicCatalog;
import io.sluice.schemas.topic.TopicProvisioner;
import io.sluice.workers.Admission;
import io.sluice.workers.CostCalculator;
import io.sluice.workers.WorkerSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires a pool's parts from its settings: topics, share group, producer, cancel listener,
 * consumers, loop.
 */
public final class PoolAssembly {

  private static final Logger LOG = LoggerFactory.getLogger(PoolAssembly.class);
  private static final Duration BROKER_DEFAULT_LOCK = Duration.ofSeconds(30);
  private static final Duration MAX_DEFERRAL_HOLD = Duration.ofSeconds(30);
  private static final AtomicInteger POOLS = new AtomicInteger();

  private PoolAssembly() {}

  /** The running parts of a pool. */
  public record Parts(
      PoolRuntime runtime,
      KafkaResultSink sink,
      Counters counters,
      CancelListener cancels,
      ScalingSignal scaling) {}

  /**
   * @param admission the caller's own admission, or {@link Admission#OPEN}
   * @param limiter the rate limiter, or {@code null} for none
   */
  public static Parts assemble(
      WorkerSettings settings,
      Provider provider,
      Admission admission,
      RateLimiter limiter,
      CostCalculator costs,
      Clock clock) {
    TopicCatalog topics = settings.topics();
    ensureTopics(settings, topics);
    ShareGroupSetup.apply(
        settings.bootstrapServers(),
        settings.groupId(),
        settings.lockDuration(),
        settings.deliveryLimit(),
        settings.clientProperties());
    Counters counters = new Counters(new WorkerMetrics(settings.meters(), settings.provider()));
    KafkaResultSink sink =
        new KafkaResultSink(
            settings.bootstrapServers(),
            topics,
            settings.groupId() + "-results",
            settings.clientProperties());
    CancelledJobs cancelled =
        new CancelledJobs(settings.cancelMemory(), WorkerSettings.CANCEL_CAPACITY, clock);
    counters.countCancelledJobs(cancelled::size);
    CancelListener cancels = null;
    try {
      cancels =
          CancelListener.start(
              settings.bootstrapServers(),
              topics.jobsControl().name(),
              settings.clientProperties(),
              cancelled,
              settings.cancelMemory(),
              clock);
      Admission poolAdmission =
          AdmissionChain.of(
              admission,
              limiter == null
                  ? null
                  : new RateLimitGate(
                      limiter, settings.account(), settings.inputTokenEstimate(), clock));
      LanePolicy lanes = new LanePolicy(DeadlinePolicy.DEFAULT, settings.laneShares());
      TaskProcessor processor =
          new TaskProcessor(
              provider,
              settings.retryPolicy(),
              circuitBreaker(settings),
              sink,
              costs,
              clock,
              settings.deliveryLimit(),
              duration -> Thread.sleep(duration),
              () -> ThreadLocalRandom.current().nextDouble(),
              counters,
              poolAdmission,
              lanes.deadlines(),
              cancelled::contains,
              Tracing.of(settings.openTelemetry(), "io.sluice.workers"));
      Duration lock =
          settings.lockDuration() == null ? BROKER_DEFAULT_LOCK : settings.lockDuration();
      PoolRuntime runtime =
          new PoolRuntime(
              new SlotArbiter.Settings(
                  lanes, settings.concurrency(), settings.recordsPerPoll(), poolAdmission),
              processor::handle,
              limiter,
              clock,
              MAX_DEFERRAL_HOLD,
              settings.deliveryLimit(),
              counters);
      addConsumers(settings, topics, lanes, runtime, clock, lock, counters);
      ScalingSignal scaling = ScalingSignal.start(settings, counters.recentCalls, limiter, clock);
      return new Parts(runtime, sink, counters, cancels, scaling);
    } catch (RuntimeException e) {
      if (cancels != null) {
        cancels.close();
      }
      sink.close();
      throw e;
    }
  }

  private static void ensureTopics(WorkerSettings settings, TopicCatalog topics) {
    List<String> names = new ArrayList<>();
    topics.realtimeLanes(settings.provider()).forEach(topic -> names.add(topic.name()));
    names.add(topics.taskResults().name());
    names.add(topics.deadLetters().name());
    TopicProvisioner provisioner =
        new TopicProvisioner(
            settings.bootstrapServers(),
            settings.topicPartitions(),
            settings.replicationFactor(),
            settings.clientProperties());
    provisioner.ensure(names);
    TopicProvisioner.CoPartitioning control =
        provisioner.ensureCoPartitioned(topics.jobsControl().name(), topics.taskResults().name());
    if (!control.matches()) {
      LOG.warn("{}; until then the dispatcher refuses to start", control.mismatch());
    }
  }

  private static void addConsumers(
      WorkerSettings settings,
      TopicCatalog topics,
      LanePolicy lanes,
      PoolRuntime runtime,
      Clock clock,
      Duration lock,
      Counters counters) {
    Map<String, Object> common =
        LaneConsumer.commonConfig(
            settings.bootstrapServers(),
            settings.groupId(),
            settings.recordsPerPoll(),
            settings.clientProperties());
    String instance =
        Long.toString(ProcessHandle.current().pid(), 36) + "-" + POOLS.incrementAndGet();
    for (Lane lane : lanes.realtimeLanes()) {
      String topic = topics.tasks(settings.provider(), lane).name();
      for (int i = 0; i < settings.consumersPerLane(); i++) {
        String name = settings.groupId() + "-" + instance + "-" + lane.topicSegment() + "-" + i;
        runtime.add(
            new ConsumerLoop(
                new LaneConsumer(lane, topic, name, common),
                runtime.arbiter(),
                clock,
                settings.pollTimeout(),
                settings.shutdownTimeout(),
                lock,
                counters,
                runtime.taskThreads()));
      }
    }
  }

  /**
   * Opens after half of the last 20 calls (at least 10) failed retriably; 429s are left to the rate
   * limiter and retry-after, permanent errors are the request's fault, not the provider's.
   */
  private static CircuitBreaker circuitBreaker(WorkerSettings settings) {
    CircuitBreakerConfig config =
        CircuitBreakerConfig.custom()
            .slidingWindowSize(20)
            .minimumNumberOfCalls(10)
            .failureRateThreshold(50)
            .waitDurationInOpenState(settings.circuitOpenDuration())
            .permittedNumberOfCallsInHalfOpenState(2)
            .recordException(
                e -> e instanceof ProviderException p && p.isRetriable() && !p.isRateLimited())
            .build();
    return CircuitBreaker.of(settings.groupId(), config);
  }
}
