package io.sluice.workers;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.sluice.lane.LaneShares;
import io.sluice.observability.Meters;
import io.sluice.scaling.ScalingSettings;
import io.sluice.schemas.topic.TopicCatalog;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Configuration of one provider's worker pool, validated when built: a bad value fails with a
 * message naming the setting. Start from {@link #builder(String, String, String)}, which fills in
 * the defaults named below.
 *
 * @param bootstrapServers the Kafka cluster
 * @param topicPrefix the topic prefix ({@code sluice} in production)
 * @param provider the provider's name in topic names, e.g. {@code openai}
 * @param concurrency the most tasks in flight in this pool, across all lanes (default 8)
 * @param consumersPerLane share consumers per lane, each on its own thread (default: enough to hold
 *     {@code concurrency} records, {@code ceil(concurrency / recordsPerPoll)}, at least 2)
 * @param recordsPerPoll the most records one poll of one consumer takes (default {@code
 *     min(concurrency, 8)}); while the rate limiter binds, a lane holds at most this many records
 *     that wait for it, so 1 suits an account that admits only a few calls a second
 * @param account the provider account whose rate limits this pool's calls count against (key {@code
 *     (provider, account, model)} in the rate limiter; default {@code default})
 * @param maxAttempts the most provider calls per task (default 4)
 * @param initialBackoff the delay after the first retriable failure (default 500 ms)
 * @param maxBackoff the longest computed delay between attempts (default 30 s)
 * @param backoffMultiplier growth of the delay per attempt (default 2)
 * @param jitter the randomised share of each delay, 0..1 (default 0.5)
 * @param lockDuration the share group's record lock ({@code share.record.lock.duration.ms}; default
 *     {@link #DEFAULT_LOCK_DURATION}, 5 min); {@code null} leaves the broker's default (30 s).
 *     Locks are renewed after a third of it. Long, because the Kafka client may fetch records into
 *     its buffer before a poll hands them over (KAFKA-20015): with the broker's 30 s a record a
 *     rate-limited worker took late could be past its lock before its first renewal, and be handed
 *     out again (measured: dozens of redeliveries per minute at tier-1 limits). Needs the brokers'
 *     {@code group.share.max.record.lock.duration.ms} at 300000 or more (Kafka's default is 60000;
 *     Sluice's embedded broker allows 1 h).
 * @param deliveryLimit the share group's {@code share.delivery.count.limit}, 2..10 (default 5); a
 *     task delivered that often is failed and dead-lettered instead of being called again
 * @param pollTimeout how long the loop waits for a lane's first consumer before it looks at the
 *     next lane (default 50 ms)
 * @param shutdownTimeout how long {@code close()} lets in-flight tasks finish before it releases
 *     them for redelivery (default 10 s)
 * @param circuitOpenDuration how long the provider's circuit breaker stays open (default 10 s)
 * @param topicPartitions partitions of topics this pool creates when missing (default 3)
 * @param replicationFactor replicas of topics this pool creates when missing (default 1)
 * @param clientProperties extra Kafka client properties (security, timeouts), applied last
 * @param inputTokenEstimate what a task reserves for its input tokens in the rate limiter (default
 *     {@link InputTokenEstimate#COUNTED})
 * @param cancelMemory how long the pool remembers a cancelled job (read from {@code jobs.control}),
 *     and how far back a starting pool reads cancels: a task of it delivered within that time is
 *     dropped without a provider call (default 6 h; 1 min .. 7 days). At most {@link
 *     #CANCEL_CAPACITY} cancels are remembered, the oldest forgotten first.
 * @param meters where the pool's meters are registered ({@link Meters#none()} unless set)
 * @param scaling how the pool's scaling signal reads demand ({@link ScalingSettings#DEFAULT})
 * @param scalingInterval how often the scaling signal and the lane backlog are measured (default 15
 *     s; at least 100 ms)
 * @param openTelemetry where the pool's spans go ({@link OpenTelemetry#noop()} unless set: no
 *     spans, no trace context read from tasks or written on results and provider requests)
 * @param laneShares the minimum share of starts each lower lane keeps under load from higher lanes,
 *     and the tenants' weights within a lane ({@link LaneShares#DEFAULT}: bulk keeps a tenth of the
 *     last 100 starts while it has work; docs/fairness.md)
 */
public record WorkerSettings(
    String bootstrapServers,
    String topicPrefix,
    String provider,
    int concurrency,
    int consumersPerLane,
    int recordsPerPoll,
    String account,
    int maxAttempts,
    Duration initialBackoff,
    Duration maxBackoff,
    double backoffMultiplier,
    double jitter,
    Duration lockDuration,
    int deliveryLimit,
    Duration pollTimeout,
    Duration shutdownTimeout,
    Duration circuitOpenDuration,
    int topicPartitions,
    short replicationFactor,
    Map<String, String> clientProperties,
    InputTokenEstimate inputTokenEstimate,
    Duration cancelMemory,
    MeterRegistry meters,
    ScalingSettings scaling,
    Duration scalingInterval,
    OpenTelemetry openTelemetry,
    LaneShares laneShares) {

  /** The most cancelled jobs a pool remembers at once. */
  public static final int CANCEL_CAPACITY = 100_000;

  /** The default record lock: long enough for records to wait for the rate limiter. */
  public static final Duration DEFAULT_LOCK_DURATION = Duration.ofMinutes(5);

  private static final Pattern PROVIDER = Pattern.compile("[a-z0-9][a-z0-9_-]*");

  public WorkerSettings {
    laneShares = laneShares == null ? LaneShares.DEFAULT : laneShares;
    clientProperties = clientProperties == null ? Map.of() : Map.copyOf(clientProperties);
    openTelemetry = openTelemetry == null ? OpenTelemetry.noop() : openTelemetry;
    inputTokenEstimate =
        inputTokenEstimate == null ? InputTokenEstimate.COUNTED : inputTokenEstimate;
    List<String> problems = new ArrayList<>();
    require(
        problems,
        bootstrapServers != null && !bootstrapServers.isBlank(),
        "bootstrapServers",
        "must not be empty",
        bootstrapServers);
    require(
        problems,
        topicPrefix != null && validPrefix(topicPrefix),
        "topicPrefix",
        "must be letters, digits, '.', '_' or '-'",
        topicPrefix);
    require(
        problems,
        provider != null && PROVIDER.matcher(provider).matches(),
        "provider",
        "must be lower-case letters, digits, '_' or '-'",
        provider);
    require(
        problems,
        concurrency >= 1 && concurrency <= 1024,
        "concurrency",
        "must be between 1 and 1024",
        concurrency);
    require(
        problems,
        consumersPerLane >= 1 && consumersPerLane <= 256,
        "consumersPerLane",
        "must be between 1 and 256",
        consumersPerLane);
    require(
        problems,
        recordsPerPoll >= 1 && recordsPerPoll <= 500,
        "recordsPerPoll",
        "must be between 1 and 500",
        recordsPerPoll);
    require(
        problems,
        account != null && !account.isBlank() && !account.contains("/"),
        "account",
        "must be non-blank without '/'",
        account);
    require(
        problems,
        maxAttempts >= 1 && maxAttempts <= 100,
        "maxAttempts",
        "must be between 1 and 100",
        maxAttempts);
    require(
        problems,
        nonNegative(initialBackoff),
        "initialBackoff",
        "must be zero or positive",
        initialBackoff);
    require(
        problems,
        nonNegative(maxBackoff)
            && nonNegative(initialBackoff)
            && maxBackoff.compareTo(initialBackoff) >= 0,
        "maxBackoff",
        "must be at least initialBackoff",
        maxBackoff);
    require(
        problems,
        backoffMultiplier >= 1.0 && backoffMultiplier <= 100.0,
        "backoffMultiplier",
        "must be between 1 and 100",
        backoffMultiplier);
    require(problems, jitter >= 0.0 && jitter <= 1.0, "jitter", "must be between 0 and 1", jitter);
    require(
        problems,
        lockDuration == null
            || (lockDuration.toMillis() >= 1000 && lockDuration.toMillis() <= 3_600_000),
        "lockDuration",
        "must be between 1 s and 1 h (or unset for the broker default)",
        lockDuration);
    require(
        problems,
        deliveryLimit >= 2 && deliveryLimit <= 10,
        "deliveryLimit",
        "must be between 2 and 10",
        deliveryLimit);
    require(
        problems,
        positive(pollTimeout) && pollTimeout.toMillis() <= 5000,
        "pollTimeout",
        "must be between 1 ms and 5 s",
        pollTimeout);
    require(
        problems,
        nonNegative(shutdownTimeout),
        "shutdownTimeout",
        "must be zero or positive",
        shutdownTimeout);
    require(
        problems,
        positive(circuitOpenDuration),
        "circuitOpenDuration",
        "must be positive",
        circuitOpenDuration);
    require(
        problems, topicPartitions >= 1, "topicPartitions", "must be at least 1", topicPartitions);
    require(
        problems,
        replicationFactor >= 1,
        "replicationFactor",
        "must be at least 1",
        replicationFactor);
    require(
        problems,
        cancelMemory != null
            && cancelMemory.compareTo(Duration.ofMinutes(1)) >= 0
            && cancelMemory.compareTo(Duration.ofDays(7)) <= 0,
        "cancelMemory",
        "must be between 1 min and 7 days",
        cancelMemory);
    require(
        problems,
        scalingInterval != null && scalingInterval.toMillis() >= 100,
        "scalingInterval",
        "must be at least 100 ms",
        scalingInterval);
    scaling = scaling == null ? ScalingSettings.DEFAULT : scaling;
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("invalid worker settings: " + String.join("; ", problems));
    }
  }

  /** Settings with every default, for the given cluster, topic prefix and provider. */
  public static Builder builder(String bootstrapServers, String topicPrefix, String provider) {
    return new Builder(bootstrapServers, topicPrefix, provider);
  }

  /** The share group of this provider's workers: {@code <prefix>.workers.<provider>}. */
  public String groupId() {
    return topics().workersShareGroup(provider);
  }

  /** The topics, under {@link #topicPrefix()}. */
  public TopicCatalog topics() {
    return new TopicCatalog(topicPrefix);
  }

  /** The retry policy these settings describe. */
  public RetryPolicy retryPolicy() {
    return new RetryPolicy(maxAttempts, initialBackoff, maxBackoff, backoffMultiplier, jitter);
  }

  private static void require(
      List<String> problems, boolean ok, String setting, String rule, Object value) {
    if (!ok) {
      problems.add(setting + " " + rule + ", got: " + value);
    }
  }

  private static boolean validPrefix(String prefix) {
    try {
      new TopicCatalog(prefix);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static boolean nonNegative(Duration duration) {
    return duration != null && !duration.isNegative();
  }

  private static boolean positive(Duration duration) {
    return duration != null && duration.isPositive();
  }

  /** Builds {@link WorkerSettings}; every setting starts at its default. */
  public static final class Builder {
    private final String bootstrapServers;
    private final String topicPrefix;
    private final String provider;
    private int concurrency = 8;
    private Integer consumersPerLane;
    private Integer recordsPerPoll;
    private String account = "default";
    private int maxAttempts = 4;
    private Duration initialBackoff = Duration.ofMillis(500);
    private Duration maxBackoff = Duration.ofSeconds(30);
    private double backoffMultiplier = 2.0;
    private double jitter = 0.5;
    private Duration lockDuration = DEFAULT_LOCK_DURATION;
    private int deliveryLimit = 5;
    private Duration pollTimeout = Duration.ofMillis(50);
    private Duration shutdownTimeout = Duration.ofSeconds(10);
    private Duration circuitOpenDuration = Duration.ofSeconds(10);
    private int topicPartitions = 3;
    private short replicationFactor = 1;
    private Map<String, String> clientProperties = Map.of();
    private InputTokenEstimate inputTokenEstimate = InputTokenEstimate.COUNTED;
    private Duration cancelMemory = Duration.ofHours(6);
    private MeterRegistry meters = Meters.none();
    private ScalingSettings scaling = ScalingSettings.DEFAULT;
    private Duration scalingInterval = Duration.ofSeconds(15);
    private OpenTelemetry openTelemetry = OpenTelemetry.noop();
    private LaneShares laneShares = LaneShares.DEFAULT;

    private Builder(String bootstrapServers, String topicPrefix, String provider) {
      this.bootstrapServers = bootstrapServers;
      this.topicPrefix = topicPrefix;
      this.provider = provider;
    }

    public Builder concurrency(int value) {
      this.concurrency = value;
      return this;
    }

    public Builder consumersPerLane(int value) {
      this.consumersPerLane = value;
      return this;
    }

    public Builder recordsPerPoll(int value) {
      this.recordsPerPoll = value;
      return this;
    }

    /** The provider account for rate limiting (default {@code default}). */
    public Builder account(String value) {
      this.account = value;
      return this;
    }

    public Builder maxAttempts(int value) {
      this.maxAttempts = value;
      return this;
    }

    public Builder backoff(Duration initial, Duration max, double multiplier, double jitter) {
      this.initialBackoff = initial;
      this.maxBackoff = max;
      this.backoffMultiplier = multiplier;
      this.jitter = jitter;
      return this;
    }

    public Builder lockDuration(Duration value) {
      this.lockDuration = value;
      return this;
    }

    public Builder deliveryLimit(int value) {
      this.deliveryLimit = value;
      return this;
    }

    public Builder pollTimeout(Duration value) {
      this.pollTimeout = value;
      return this;
    }

    public Builder shutdownTimeout(Duration value) {
      this.shutdownTimeout = value;
      return this;
    }

    public Builder circuitOpenDuration(Duration value) {
      this.circuitOpenDuration = value;
      return this;
    }

    public Builder topics(int partitions, short replicationFactor) {
      this.topicPartitions = partitions;
      this.replicationFactor = replicationFactor;
      return this;
    }

    public Builder clientProperties(Map<String, String> value) {
      this.clientProperties = value;
      return this;
    }

    /** What a task reserves for its input tokens in the rate limiter. */
    public Builder inputTokenEstimate(InputTokenEstimate value) {
      this.inputTokenEstimate = value;
      return this;
    }

    /** How long a cancelled job is remembered (and read back at start). */
    public Builder cancelMemory(Duration value) {
      this.cancelMemory = value;
      return this;
    }

    /** Where the pool's meters are registered. */
    public Builder meters(MeterRegistry value) {
      this.meters = Objects.requireNonNull(value, "meters");
      return this;
    }

    /** How the scaling signal reads demand. */
    public Builder scaling(ScalingSettings value) {
      this.scaling = Objects.requireNonNull(value, "scaling");
      return this;
    }

    /** How often the scaling signal and the lane backlog are measured. */
    public Builder scalingInterval(Duration value) {
      this.scalingInterval = value;
      return this;
    }

    /** Where the pool's spans go (default {@link OpenTelemetry#noop()}: tracing off). */
    public Builder openTelemetry(OpenTelemetry value) {
      this.openTelemetry = Objects.requireNonNull(value, "openTelemetry");
      return this;
    }

    /** How the pool shares its slots between lanes and tenants (docs/fairness.md). */
    public Builder laneShares(LaneShares value) {
      this.laneShares = Objects.requireNonNull(value, "laneShares");
      return this;
    }

    /** Validates and builds; throws {@link IllegalArgumentException} naming each bad setting. */
    public WorkerSettings build() {
      int records = recordsPerPoll == null ? Math.max(1, Math.min(concurrency, 8)) : recordsPerPoll;
      int consumers =
          consumersPerLane == null
              ? Math.max(2, (concurrency + records - 1) / records)
              : consumersPerLane;
      return new WorkerSettings(
          bootstrapServers,
          topicPrefix,
          provider,
          concurrency,
          consumers,
          records,
          account,
          maxAttempts,
          initialBackoff,
          maxBackoff,
          backoffMultiplier,
          jitter,
          lockDuration,
          deliveryLimit,
          pollTimeout,
          shutdownTimeout,
          circuitOpenDuration,
          topicPartitions,
          replicationFactor,
          clientProperties,
          inputTokenEstimate,
          cancelMemory,
          meters,
          scaling,
          scalingInterval,
          openTelemetry,
          laneShares);
    }
  }
}
