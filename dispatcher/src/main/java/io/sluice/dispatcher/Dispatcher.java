package io.sluice.dispatcher;

import io.sluice.dispatcher.fairness.Pacing;
import io.sluice.dispatcher.internal.LocalState;
import io.sluice.dispatcher.internal.StreamsProperties;
import io.sluice.schemas.topic.TopicProvisioner;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.errors.ProcessorStateException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running dispatcher: the Kafka Streams application that routes submitted jobs to provider lanes
 * and turns task results into job events, exactly once. {@link #close()} stops it cleanly.
 *
 * <p>It keeps itself processing: a local state store that cannot be opened (a leftover of a killed
 * process) is wiped and restored from its changelog, and a failed stream thread is replaced. When
 * it cannot go on, it calls the {@link #onFatal} actions; the process should then exit non-zero.
 *
 * <pre>{@code
 * try (Dispatcher dispatcher = Dispatcher.start(settings)) {
 *   dispatcher.onFatal(failure -> System.exit(1));
 *   dispatcher.awaitRunning(Duration.ofSeconds(30));
 *   ...
 * }
 * }</pre>
 */
public final class Dispatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Dispatcher.class);
  private static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(30);

  /** Restarts of Streams within {@link #RESTART_WINDOW} before the dispatcher gives up. */
  static final int MAX_RESTARTS = 3;

  static final Duration RESTART_WINDOW = Duration.ofMinutes(10);

  private static final Executor FATAL_ACTIONS =
      action -> Thread.ofPlatform().name("dispatcher-fatal").daemon().start(action);

  private final String applicationId;
  private final Topology topology;
  private final Properties properties;
  private final LocalState localState;
  private final Clock clock;
  private final CountDownLatch running = new CountDownLatch(1);
  private final CompletableFuture<Void> failure = new CompletableFuture<>();
  private final Deque<Instant> restarts = new ArrayDeque<>();
  private final Object lock = new Object();
  private volatile KafkaStreams streams;
  private volatile KafkaStreams.State state = KafkaStreams.State.CREATED;
  private volatile Throwable threadFailure;
  private boolean closed;

  private Dispatcher(DispatcherSettings settings, Topology topology, Clock clock) {
    this.applicationId = settings.applicationId();
    this.topology = topology;
    this.localState = new LocalState(settings.stateDir(), settings.applicationId());
    this.properties =
        StreamsProperties.asStaticMember(
            StreamsProperties.of(settings, clock), localState.memberId());
    this.clock = clock;
  }

  /**
   * Creates the topics the dispatcher uses (those missing) and starts it with the system clock.
   * Returns at once; see {@link #awaitRunning}.
   */
  public static Dispatcher start(DispatcherSettings settings) {
    return start(settings, Clock.systemUTC());
  }

  /** As {@link #start(DispatcherSettings)}, with the given clock. */
  public static Dispatcher start(DispatcherSettings settings, Clock clock) {
    return start(settings, new DispatcherTopology(settings, clock).build(), clock);
  }

  /** Starts another topology under the dispatcher's supervision (tests). */
  static Dispatcher start(DispatcherSettings settings, Topology topology, Clock clock) {
    provisionTopics(settings);
    var dispatcher = new Dispatcher(settings, topology, clock);
    synchronized (dispatcher.lock) {
      dispatcher.startStreams();
    }
    LOG.info(
        "Dispatcher {} started on {} (topics {}.*, providers {})",
        settings.applicationId(),
        settings.bootstrapServers(),
        settings.topicPrefix(),
        settings.models().providers());
    return dispatcher;
  }

  /**
   * Creates the topics the dispatcher uses, those missing: the public ones ({@link
   * DispatcherTopology#topicNames}) and its own deadlines and paced-tasks topics, with as many
   * partitions as {@code task-results}; {@code jobs.control} must have as many too.
   *
   * @throws IllegalStateException if the deadlines topic or {@code jobs.control} exists with
   *     another number of partitions
   */
  static void provisionTopics(DispatcherSettings settings) {
    TopicProvisioner provisioner =
        new TopicProvisioner(
            settings.bootstrapServers(), settings.partitions(), settings.replicationFactor());
    provisioner.ensure(DispatcherTopology.topicNames(settings.topics(), settings.models()));
    String taskResults = settings.topics().taskResults().name();
    for (String topic :
        List.of(
            DispatcherTopology.deadlinesTopic(settings),
            Pacing.pacedTopic(settings.applicationId()),
            settings.topics().jobsControl().name())) {
      TopicProvisioner.CoPartitioning partitioning =
          provisioner.ensureCoPartitioned(topic, taskResults);
      if (!partitioning.matches()) {
        throw new IllegalStateException(partitioning.mismatch());
      }
    }
  }

  /**
   * Runs {@code action} (on a thread of its own) once the dispatcher cannot process any more: its
   * local state could not be recovered, its stream threads keep failing, or Streams stopped by
   * itself. At once if that has already happened. Not after {@link #close()}.
   */
  public void onFatal(Consumer<Throwable> action) {
    failure.whenCompleteAsync(
        (ignored, cause) -> {
          if (cause != null) {
            action.accept(cause);
          }
        },
        FATAL_ACTIONS);
  }

  /** Whether Streams is processing (not starting, rebalancing, restoring, stopping or failed). */
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
    KafkaStreams current;
    synchronized (lock) {
      closed = true;
      current = streams;
    }
    if (current == null) {
      return;
    }
    if (!current.close(
        CloseOptions.timeout(CLOSE_TIMEOUT)
            .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP))) {
      LOG.warn(
          "Dispatcher did not stop within {}; its threads may still be running", CLOSE_TIMEOUT);
    } else {
      LOG.info("Dispatcher stopped");
    }
  }

  /** Starts a new Streams instance; wipes the local state and retries if it cannot be opened. */
  private void startStreams() {
    KafkaStreams instance = new KafkaStreams(topology, properties);
    instance.setStateListener((newState, oldState) -> onStateChange(instance, newState));
    instance.setUncaughtExceptionHandler(this::onThreadFailure);
    streams = instance;
    try {
      instance.start();
    } catch (StreamsException e) {
      streams = null;
      instance.close(CLOSE_TIMEOUT);
      if (!isLocalStateFailure(e) || !mayRestart()) {
        throw e;
      }
      LOG.error(
          "Dispatcher {} cannot open its local state; wiping it, it is restored from the changelogs",
          applicationId,
          e);
      localState.wipeStores();
      startStreams();
    }
  }

  /**
   * A stream thread failed. Streams is stopped and started again rather than the thread replaced: a
   * new instance's threads keep the static member IDs of the old ones and take their partitions
   * back at once, where a replacement thread would wait for the dead one's session to time out.
   */
  private StreamThreadExceptionResponse onThreadFailure(Throwable exception) {
    if (isLocalStateFailure(exception)) {
      LOG.error(
          "Dispatcher {} cannot use its local state; restarting Streams, the state is wiped and"
              + " restored from the changelogs",
          applicationId,
          exception);
    } else {
      LOG.error("Dispatcher {} stream thread failed; restarting Streams", applicationId, exception);
    }
    threadFailure = exception;
    return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
  }

  private void onStateChange(KafkaStreams instance, KafkaStreams.State newState) {
    if (instance != streams) {
      return;
    }
    state = newState;
    switch (newState) {
      case RUNNING -> running.countDown();
      case ERROR -> onError(instance);
      case NOT_RUNNING -> {
        if (!isClosed()) {
          fail(new IllegalStateException("dispatcher " + applicationId + " stopped by itself"));
        }
      }
      default -> {}
    }
  }

  private void onError(KafkaStreams instance) {
    Throwable cause = threadFailure;
    threadFailure = null;
    if (cause == null) {
      fail(new IllegalStateException("dispatcher " + applicationId + " failed; see the log"));
      return;
    }
    Thread.ofPlatform().name("dispatcher-restart").start(() -> restart(instance, cause));
  }

  /** Off the stream threads: closes the failed instance and starts a new one. */
  private void restart(KafkaStreams failed, Throwable cause) {
    synchronized (lock) {
      if (closed || failed != streams) {
        return;
      }
      streams = null;
    }
    failed.close(CLOSE_TIMEOUT);
    try {
      synchronized (lock) {
        if (closed) {
          return;
        }
        if (!mayRestart()) {
          fail(cause);
          return;
        }
        if (isLocalStateFailure(cause)) {
          localState.wipeStores();
        }
        startStreams();
      }
    } catch (RuntimeException e) {
      fail(e);
    }
  }

  /** Counts a restart; false if there were {@link #MAX_RESTARTS} within the window already. */
  private boolean mayRestart() {
    Instant now = clock.instant();
    synchronized (restarts) {
      while (!restarts.isEmpty() && restarts.peekFirst().isBefore(now.minus(RESTART_WINDOW))) {
        restarts.removeFirst();
      }
      if (restarts.size() >= MAX_RESTARTS) {
        LOG.error(
            "Dispatcher {} was restarted {} times within {}; giving up",
            applicationId,
            MAX_RESTARTS,
            RESTART_WINDOW);
        return false;
      }
      restarts.addLast(now);
      return true;
    }
  }

  private boolean isClosed() {
    synchronized (lock) {
      return closed;
    }
  }

  private void fail(Throwable cause) {
    if (failure.completeExceptionally(cause)) {
      LOG.error("Dispatcher {} cannot process any more", applicationId, cause);
    }
  }

  /** A store that cannot be opened or written: RocksDB refused its files. */
  static boolean isLocalStateFailure(Throwable exception) {
    for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
      if (cause instanceof ProcessorStateException) {
        return true;
      }
    }
    return false;
  }
}
