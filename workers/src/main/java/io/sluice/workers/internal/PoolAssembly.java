package io.sluice.workers.internal;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.sluice.providers.Provider;
import io.sluice.providers.ProviderException;
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

/** Wires a pool's parts from its settings: topics, share group, producer, consumers, loop. */
public final class PoolAssembly {
  private static final Duration BROKER_DEFAULT_LOCK = Duration.ofSeconds(30);

  private PoolAssembly() {}

  /** The running parts of a pool. */
  public record Parts(PollLoop loop, KafkaResultSink sink, Counters counters) {}

  public static Parts assemble(
      WorkerSettings settings,
      Provider provider,
      Admission admission,
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
    Counters counters = new Counters();
    KafkaResultSink sink =
        new KafkaResultSink(
            settings.bootstrapServers(),
            topics,
            settings.groupId() + "-results",
            settings.clientProperties());
    try {
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
              counters);
      PollLoop loop =
          new PollLoop(
              consumers(settings, topics),
              new BothAdmissions(Admission.upTo(settings.concurrency()), admission),
              processor,
              clock,
              settings.pollTimeout(),
              settings.shutdownTimeout(),
              settings.lockDuration() == null ? BROKER_DEFAULT_LOCK : settings.lockDuration(),
              counters);
      return new Parts(loop, sink, counters);
    } catch (RuntimeException e) {
      sink.close();
      throw e;
    }
  }

  private static void ensureTopics(WorkerSettings settings, TopicCatalog topics) {
    List<String> names = new ArrayList<>();
    topics.realtimeLanes(settings.provider()).forEach(topic -> names.add(topic.name()));
    names.add(topics.taskResults().name());
    names.add(topics.deadLetters().name());
    new TopicProvisioner(
            settings.bootstrapServers(), settings.topicPartitions(), settings.replicationFactor())
        .ensure(names);
  }

  private static List<List<LaneConsumer>> consumers(WorkerSettings settings, TopicCatalog topics) {
    Map<String, Object> common =
        LaneConsumer.commonConfig(
            settings.bootstrapServers(), settings.groupId(), settings.clientProperties());
    String instance = Long.toString(ProcessHandle.current().pid(), 36);
    List<List<LaneConsumer>> lanes = new ArrayList<>();
    for (Lane lane : List.of(Lane.INTERACTIVE, Lane.STANDARD, Lane.BULK)) {
      String topic = topics.tasks(settings.provider(), lane).name();
      List<LaneConsumer> consumers = new ArrayList<>();
      for (int i = 0; i < settings.consumersPerLane(); i++) {
        String name = settings.groupId() + "-" + instance + "-" + lane.topicSegment() + "-" + i;
        consumers.add(new LaneConsumer(lane, topic, name, common));
      }
      lanes.add(List.copyOf(consumers));
    }
    return List.copyOf(lanes);
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
