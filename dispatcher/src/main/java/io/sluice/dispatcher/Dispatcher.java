package io.sluice.dispatcher;

import io.sluice.dispatcher.internal.StreamsProperties;
import io.sluice.dispatcher.routing.ConservativeTokenEstimator;
import io.sluice.dispatcher.routing.TokenEstimator;
import io.sluice.schemas.topic.TopicProvisioner;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running dispatcher: the Kafka Streams application that routes submitted jobs to provider lanes
 * and turns task results into job events, exactly once. {@link #close()} stops it cleanly.
 *
 * <pre>{@code
 * try (Dispatcher dispatcher = Dispatcher.start(settings)) {
 *   dispatcher.awaitRunning(Duration.ofSeconds(30));
 *   ...
 * }
 * }</pre>
 */
public final class Dispatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

  private final KafkaStreams streams;
  private final CountDownLatch running = new CountDownLatch(1);
  private volatile KafkaStreams.State state = KafkaStreams.State.CREATED;

  private Dispatcher(KafkaStreams streams) {
    this.streams = streams;
  }

  /**
   * Creates the topics the dispatcher uses (those missing) and starts it, with the conservative
   * token estimate and the system clock. Returns at once; see {@link #awaitRunning}.
   */
  public static Dispatcher start(DispatcherSettings settings) {
    return start(settings, new ConservativeTokenEstimator(), Clock.systemUTC());
  }

  /** As {@link #start(DispatcherSettings)}, with the given token estimator and clock. */
  public static Dispatcher start(
      DispatcherSettings settings, TokenEstimator estimator, Clock clock) {
    var topics = settings.topics();
    new TopicProvisioner(
            settings.bootstrapServers(), settings.partitions(), settings.replicationFactor())
        .ensure(DispatcherTopology.topicNames(topics, settings.models()));
    var topology = new DispatcherTopology(topics, settings.models(), estimator, clock).build();
    var dispatcher =
        new Dispatcher(new KafkaStreams(topology, StreamsProperties.of(settings, clock)));
    dispatcher.begin();
    LOG.info(
        "Dispatcher {} started on {} (topics {}.*, providers {})",
        settings.applicationId(),
        settings.bootstrapServers(),
        settings.topicPrefix(),
        settings.models().providers());
    return dispatcher;
  }

  private void begin() {
    streams.setStateListener(
        (newState, oldState) -> {
          state = newState;
          if (newState == KafkaStreams.State.RUNNING) {
            running.countDown();
          }
        });
    streams.setUncaughtExceptionHandler(
        exception -> {
          LOG.error("Dispatcher stream thread failed; replacing it", exception);
          return StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    streams.start();
  }

  /** Whether Streams is processing (not starting, rebalancing, stopping or failed). */
  public boolean isRunning() {
    return state == KafkaStreams.State.RUNNING;
  }

  /**
   * Waits until Streams is running for the first time.
   *
   * @throws IllegalStateException if it is not running within the timeout
   */
  public void awaitRunning(Duration timeout) {
    try {
      if (!running.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException(
            "dispatcher not running after " + timeout + "; its state is " + state);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the dispatcher", e);
    }
  }

  /**
   * Stops processing, commits, leaves the consumer group and closes Streams. Leaving the group lets
   * a restarted or remaining instance take the partitions at once instead of after the old member's
   * session timeout (45 s by default).
   */
  @Override
  public void close() {
    if (!streams.close(
        CloseOptions.timeout(CLOSE_TIMEOUT)
            .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP))) {
      LOG.warn(
          "Dispatcher did not stop within {}; its threads may still be running", CLOSE_TIMEOUT);
    } else {
      LOG.info("Dispatcher stopped");
    }
  }
}
