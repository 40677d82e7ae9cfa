package io.sluice.dispatcher.internal;

import io.sluice.dispatcher.DispatcherSettings;
import java.time.Clock;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.StreamsConfig;

/** The Kafka Streams configuration of the dispatcher, from its settings. */
public final class StreamsProperties {
  /** Streams config key: the dead-letter topic, for {@link DeadLetterProcessingHandler}. */
  static final String DEAD_LETTER_TOPIC_CONFIG = "sluice.dispatcher.dead-letter-topic";

  /** Streams config key: the {@link Clock} for dead letters' {@code occurred_at}. */
  static final String CLOCK_CONFIG = "sluice.dispatcher.clock";

  /** Streams lingers 100 ms on producer sends by default; each commit flushes anyway. */
  static final int PRODUCER_LINGER_MS = 5;

  /**
   * With transactions v2 the first send of a transaction can meet the previous commit's markers
   * still being written ({@code CONCURRENT_TRANSACTIONS}) and is retried after {@code
   * retry.backoff.ms}; the default 100 ms (growing to 1 s) would dominate the dispatcher's latency.
   */
  static final int PRODUCER_RETRY_BACKOFF_MS = 5;

  static final int PRODUCER_RETRY_BACKOFF_MAX_MS = 100;

  static final int CONSUMER_FETCH_MAX_WAIT_MS = 50;

  private StreamsProperties() {}

  // The global-enabled flag is deprecated only because Kafka 5.0 makes it the default; enabled now
  // so that behaviour does not change under us then.
  @SuppressWarnings("deprecation")
  public static Properties of(DispatcherSettings settings, Clock clock) {
    Properties props = new Properties();
    props.put(StreamsConfig.APPLICATION_ID_CONFIG, settings.applicationId());
    props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
    props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, settings.commitInterval().toMillis());
    props.put(StreamsConfig.STATE_DIR_CONFIG, settings.stateDir().toString());
    props.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, settings.streamThreads());
    props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) settings.replicationFactor());
    props.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), PRODUCER_LINGER_MS);
    props.put(
        StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MS_CONFIG),
        PRODUCER_RETRY_BACKOFF_MS);
    props.put(
        StreamsConfig.producerPrefix(ProducerConfig.RETRY_BACKOFF_MAX_MS_CONFIG),
        PRODUCER_RETRY_BACKOFF_MAX_MS);
    props.put(
        StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, DeadLetterProcessingHandler.class);
    props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_GLOBAL_ENABLED_CONFIG, true);
    props.put(DEAD_LETTER_TOPIC_CONFIG, settings.topics().deadLetters().name());
    props.put(CLOCK_CONFIG, clock);
    // A completion task reads four partitions (results, deadlines, cancels, paced tasks) and, to
    // keep their timestamp order, waits for a fetch of each that may hold data: a short fetch wait
    // keeps that from adding up to the default 500 ms per hop (paced tasks' p90 from submission
    // to the call's end: about 1 s with the default, about 0.2 s with this; docs/fairness.md).
    props.put(
        StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG),
        CONSUMER_FETCH_MAX_WAIT_MS);
    return props;
  }

  /**
   * These properties with a static group membership: Streams gives each stream thread's consumer
   * {@code <memberId>-<thread>}, and a restarted instance with the same ID takes its partitions
   * back without a rebalance that waits for the old member's session timeout.
   */
  public static Properties asStaticMember(Properties props, String memberId) {
    Properties withMember = new Properties();
    withMember.putAll(props);
    withMember.put(
        StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), memberId);
    return withMember;
  }
}
