package io.sluice.batch;

import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.batch.plan.QueueLimits;
import io.sluice.lane.DeadlinePolicy;
import io.sluice.observability.Meters;
import io.sluice.providers.BatchProvider;
import io.sluice.providers.ProviderConfig;
import io.sluice.providers.ProviderFactory;
import io.sluice.providers.ProviderKind;
import io.sluice.providers.pricing.PriceTable;
import io.sluice.schemas.topic.TopicCatalog;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * How a batch-submitter runs. Validated at construction: a bad value fails with a message naming
 * its key ({@code batch-submitter.<key>}). Build with {@link #builder}; every optional setting has
 * a named default.
 *
 * @param bootstrapServers the Kafka cluster
 * @param topics the topic names
 * @param jdbc the PostgreSQL database that holds the deferred lane
 * @param providers the provider accounts whose deferred lanes it serves (kind openai or anthropic)
 * @param linger how long the oldest pending item waits for others before its batch is flushed
 * @param deadlineLead how long before an item's deadline its batch must be submitted at the latest
 * @param deadlines when an item leaves its batch for the realtime lane ({@code realtimeLead} before
 *     its deadline) and which lane that is; shared with the dispatcher
 * @param queueLimits the batch queue limits of each provider account, by account name; an account
 *     not listed has its kind's tier-1 limits ({@link #queueLimitsFor})
 * @param refusalBackoff how long a group waits after the provider refused a batch for room in its
 *     queue (doubling with each refusal in the last hour, up to 32 times)
 * @param maxAttempts the most provider batches one task may be in
 * @param pollInterval how often a submitted batch's status is read
 * @param retryDelay how long a resubmitted item waits before its next batch
 * @param reconcileGrace how old a {@code SUBMITTING} record must be before the provider's list is
 *     searched for it (a submit still under way must not be taken for a lost one)
 * @param reconcileSkew how far before the submit the provider's list is searched (clock skew)
 * @param tick how often the loops look for due work when idle
 * @param groupId the Kafka consumer group of the intake
 * @param topicPartitions partitions of topics it creates when missing
 * @param prices prices for the cost at the batch price
 * @param clock the clock
 * @param kafkaProperties extra Kafka client properties (security, timeouts)
 * @param batchProviders how a provider account becomes a batch adapter (a test seam)
 * @param meters where the batch-submitter's meters are registered ({@link Meters#none()} unless
 *     set)
 */
public record BatchSubmitterSettings(
    String bootstrapServers,
    TopicCatalog topics,
    Jdbc jdbc,
    List<ProviderConfig> providers,
    Duration linger,
    Duration deadlineLead,
    DeadlinePolicy deadlines,
    Map<String, QueueLimits> queueLimits,
    Duration refusalBackoff,
    int maxAttempts,
    Duration pollInterval,
    Duration retryDelay,
    Duration reconcileGrace,
    Duration reconcileSkew,
    Duration tick,
    String groupId,
    int topicPartitions,
    PriceTable prices,
    Clock clock,
    Map<String, String> kafkaProperties,
    Function<ProviderConfig, BatchProvider> batchProviders,
    MeterRegistry meters) {

  public static final Duration DEFAULT_LINGER = Duration.ofMinutes(5);
  public static final Duration DEFAULT_DEADLINE_LEAD = Duration.ofHours(25);
  public static final int DEFAULT_MAX_ATTEMPTS = 3;
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(30);
  public static final Duration DEFAULT_RETRY_DELAY = Duration.ofSeconds(30);
  public static final Duration DEFAULT_RECONCILE_GRACE = Duration.ofMinutes(2);
  public static final Duration DEFAULT_RECONCILE_SKEW = Duration.ofMinutes(10);
  public static final Duration DEFAULT_TICK = Duration.ofSeconds(1);
  public static final Duration DEFAULT_REFUSAL_BACKOFF = Duration.ofMinutes(1);
  public static final String DEFAULT_GROUP_ID = "sluice-batch-submitter";

  /**
   * The PostgreSQL connection.
   *
   * @param url a {@code jdbc:postgresql:} URL
   * @param poolSize connections in the pool (the four loops use one each at most)
   */
  public record Jdbc(String url, String username, String password, int poolSize) {
    public Jdbc {
      if (url == null || !url.startsWith("jdbc:postgresql:")) {
        throw new IllegalArgumentException(
            "batch-submitter.jdbc.url must be a jdbc:postgresql: URL");
      }
      if (poolSize < 2) {
        throw new IllegalArgumentException(
            "batch-submitter.jdbc.pool-size must be at least 2, was " + poolSize);
      }
    }

    /** A pool of five connections. */
    public static Jdbc of(String url, String username, String password) {
      return new Jdbc(url, username, password, 5);
    }

    @Override
    public String toString() {
      return "Jdbc[url=" + url + ", username=" + username + ", poolSize=" + poolSize + "]";
    }
  }

  public BatchSubmitterSettings {
    if (bootstrapServers == null || bootstrapServers.isBlank()) {
      throw invalid("bootstrap-servers", "is required");
    }
    Objects.requireNonNull(topics, "batch-submitter.topics");
    Objects.requireNonNull(jdbc, "batch-submitter.jdbc");
    providers = List.copyOf(Objects.requireNonNull(providers, "batch-submitter.providers"));
    if (providers.isEmpty()) {
      throw invalid("providers", "must name at least one provider account");
    }
    Set<String> names = new HashSet<>();
    for (ProviderConfig provider : providers) {
      if (provider.kind() == ProviderKind.OPENAI_COMPATIBLE) {
        throw invalid(
            "providers." + provider.name(), "is OpenAI-compatible, which has no batch API");
      }
      if (!names.add(provider.name())) {
        throw invalid("providers." + provider.name(), "is listed twice");
      }
    }
    positive(linger, "linger");
    positive(deadlineLead, "deadline-lead");
    Objects.requireNonNull(deadlines, "batch-submitter.deadlines");
    queueLimits = Map.copyOf(queueLimits == null ? Map.of() : queueLimits);
    for (String account : queueLimits.keySet()) {
      if (!names.contains(account)) {
        throw invalid("queue-limits." + account, "names no provider account of this submitter");
      }
    }
    positive(refusalBackoff, "refusal-backoff");
    if (maxAttempts < 1) {
      throw invalid("max-attempts", "must be at least 1, was " + maxAttempts);
    }
    positive(pollInterval, "poll-interval");
    positive(retryDelay, "retry-delay");
    positive(reconcileGrace, "reconcile-grace");
    positive(reconcileSkew, "reconcile-skew");
    positive(tick, "tick");
    if (groupId == null || groupId.isBlank()) {
      throw invalid("group-id", "is required");
    }
    if (topicPartitions < 1) {
      throw invalid("topic-partitions", "must be at least 1, was " + topicPartitions);
    }
    Objects.requireNonNull(prices, "batch-submitter.prices");
    Objects.requireNonNull(clock, "batch-submitter.clock");
    Objects.requireNonNull(meters, "batch-submitter.meters");
    kafkaProperties = Map.copyOf(kafkaProperties == null ? Map.of() : kafkaProperties);
    Objects.requireNonNull(batchProviders, "batch-submitter.batch-providers");
  }

  /**
   * The batch queue limits of a provider account: configured, or its kind's tier-1 limits (OpenAI:
   * {@link QueueLimits#OPENAI_TIER_1}, Anthropic: {@link QueueLimits#ANTHROPIC_TIER_1}).
   */
  public QueueLimits queueLimitsFor(ProviderConfig provider) {
    return queueLimits.getOrDefault(provider.name(), defaultQueueLimits(provider.kind()));
  }

  /** A kind's tier-1 batch queue limits. */
  public static QueueLimits defaultQueueLimits(ProviderKind kind) {
    return switch (kind) {
      case OPENAI -> QueueLimits.OPENAI_TIER_1;
      case ANTHROPIC -> QueueLimits.ANTHROPIC_TIER_1;
      default -> QueueLimits.NONE;
    };
  }

  /** Settings with every default, for these required values. */
  public static Builder builder(
      String bootstrapServers, Jdbc jdbc, List<ProviderConfig> providers) {
    return new Builder(bootstrapServers, jdbc, providers);
  }

  private static void positive(Duration value, String key) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw invalid(key, "must be a positive duration, was " + value);
    }
  }

  private static void notNegative(Duration value, String key) {
    if (value == null || value.isNegative()) {
      throw invalid(key, "must be a duration of zero or more, was " + value);
    }
  }

  static IllegalArgumentException invalid(String key, String problem) {
    return new IllegalArgumentException("batch-submitter." + key + " " + problem);
  }

  /** Builds {@link BatchSubmitterSettings}; unset values take their defaults. */
  public static final class Builder {
    private final String bootstrapServers;
    private final Jdbc jdbc;
    private final List<ProviderConfig> providers;
    private TopicCatalog topics = TopicCatalog.DEFAULT;
    private Duration linger = DEFAULT_LINGER;
    private Duration deadlineLead = DEFAULT_DEADLINE_LEAD;
    private Duration batchWindow = DeadlinePolicy.DEFAULT.batchWindow();
    private Duration batchMargin = DeadlinePolicy.DEFAULT.batchMargin();
    private Duration realtimeLead = DeadlinePolicy.DEFAULT.realtimeLead();
    private final Map<String, QueueLimits> queueLimits = new HashMap<>();
    private String queueLimitSpec = "";
    private Duration refusalBackoff = DEFAULT_REFUSAL_BACKOFF;
    private int maxAttempts = DEFAULT_MAX_ATTEMPTS;
    private Duration pollInterval = DEFAULT_POLL_INTERVAL;
    private Duration retryDelay = DEFAULT_RETRY_DELAY;
    private Duration reconcileGrace = DEFAULT_RECONCILE_GRACE;
    private Duration reconcileSkew = DEFAULT_RECONCILE_SKEW;
    private Duration tick = DEFAULT_TICK;
    private String groupId = DEFAULT_GROUP_ID;
    private int topicPartitions = 3;
    private PriceTable prices = PriceTable.defaults();
    private Clock clock = Clock.systemUTC();
    private MeterRegistry meters = Meters.none();
    private Map<String, String> kafkaProperties = Map.of();
    private Function<ProviderConfig, BatchProvider> batchProviders;

    private Builder(String bootstrapServers, Jdbc jdbc, List<ProviderConfig> providers) {
      this.bootstrapServers = bootstrapServers;
      this.jdbc = jdbc;
      this.providers = providers;
    }

    public Builder topics(TopicCatalog value) {
      this.topics = value;
      return this;
    }

    public Builder linger(Duration value) {
      this.linger = value;
      return this;
    }

    public Builder deadlineLead(Duration value) {
      this.deadlineLead = value;
      return this;
    }

    /** All three durations of the deadline policy (default {@link DeadlinePolicy#DEFAULT}). */
    public Builder deadlines(DeadlinePolicy value) {
      this.batchWindow = value.batchWindow();
      this.batchMargin = value.batchMargin();
      this.realtimeLead = value.realtimeLead();
      return this;
    }

    /** How long before its deadline an unfinished item moves to the realtime lane (1 h). */
    public Builder deadlineRealtimeLead(Duration value) {
      this.realtimeLead = value;
      return this;
    }

    /** The provider batch window the deadline policy assumes (24 h). */
    public Builder deadlineBatchWindow(Duration value) {
      this.batchWindow = value;
      return this;
    }

    /** The slack beyond the batch window that {@code auto} needs (1 h). */
    public Builder deadlineBatchMargin(Duration value) {
      this.batchMargin = value;
      return this;
    }

    /** The batch queue limits of one provider account, replacing its kind's defaults. */
    public Builder queueLimits(String account, QueueLimits value) {
      this.queueLimits.put(account, value);
      return this;
    }

    /**
     * Batch queue limits from text, applied at {@link #build()} on top of each account's kind
     * defaults: comma-separated {@code <account>.<key>=<value>} with keys {@code tokens.<model>},
     * {@code tokens.default}, {@code requests}, {@code creations-per-hour} and values a positive
     * number or {@code unlimited}; e.g. {@code
     * openai.tokens.gpt-4o=90000,openai.creations-per-hour=2000,anthropic.requests=100000}.
     */
    public Builder queueLimits(String spec) {
      this.queueLimitSpec = spec == null ? "" : spec;
      return this;
    }

    /** The wait after a refusal for room in a provider's queue (1 min, doubling). */
    public Builder refusalBackoff(Duration value) {
      this.refusalBackoff = value;
      return this;
    }

    public Builder maxAttempts(int value) {
      this.maxAttempts = value;
      return this;
    }

    public Builder pollInterval(Duration value) {
      this.pollInterval = value;
      return this;
    }

    public Builder retryDelay(Duration value) {
      this.retryDelay = value;
      return this;
    }

    public Builder reconcileGrace(Duration value) {
      this.reconcileGrace = value;
      return this;
    }

    public Builder reconcileSkew(Duration value) {
      this.reconcileSkew = value;
      return this;
    }

    public Builder tick(Duration value) {
      this.tick = value;
      return this;
    }

    public Builder groupId(String value) {
      this.groupId = value;
      return this;
    }

    public Builder topicPartitions(int value) {
      this.topicPartitions = value;
      return this;
    }

    public Builder prices(PriceTable value) {
      this.prices = value;
      return this;
    }

    public Builder clock(Clock value) {
      this.clock = value;
      return this;
    }

    public Builder kafkaProperties(Map<String, String> value) {
      this.kafkaProperties = value;
      return this;
    }

    public Builder batchProviders(Function<ProviderConfig, BatchProvider> value) {
      this.batchProviders = value;
      return this;
    }

    public Builder meters(MeterRegistry value) {
      this.meters = value;
      return this;
    }

    public BatchSubmitterSettings build() {
      Function<ProviderConfig, BatchProvider> adapters = batchProviders;
      if (adapters == null) {
        ProviderFactory factory = new ProviderFactory(clock);
        adapters =
            config ->
                factory
                    .batch(config)
                    .orElseThrow(
                        () ->
                            new IllegalArgumentException(
                                "batch-submitter.providers."
                                    + config.name()
                                    + " has no batch API"));
      }
      return new BatchSubmitterSettings(
          bootstrapServers,
          topics,
          jdbc,
          providers,
          linger,
          deadlineLead,
          deadlinePolicy(),
          QueueLimitSpec.apply(queueLimitSpec, providers, queueLimits),
          refusalBackoff,
          maxAttempts,
          pollInterval,
          retryDelay,
          reconcileGrace,
          reconcileSkew,
          tick,
          groupId,
          topicPartitions,
          prices,
          clock,
          kafkaProperties,
          adapters,
          meters);
    }

    private DeadlinePolicy deadlinePolicy() {
      positive(batchWindow, "deadlines.batch-window");
      notNegative(batchMargin, "deadlines.batch-margin");
      notNegative(realtimeLead, "deadlines.realtime-lead");
      return new DeadlinePolicy(batchWindow, batchMargin, realtimeLead);
    }
  }
}
