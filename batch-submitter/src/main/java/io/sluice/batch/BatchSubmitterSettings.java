package io.sluice.batch;

import io.sluice.providers.BatchProvider;
import io.sluice.providers.ProviderConfig;
import io.sluice.providers.ProviderFactory;
import io.sluice.providers.ProviderKind;
import io.sluice.providers.pricing.PriceTable;
import io.sluice.schemas.topic.TopicCatalog;
import java.time.Clock;
import java.time.Duration;
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
 */
public record BatchSubmitterSettings(
    String bootstrapServers,
    TopicCatalog topics,
    Jdbc jdbc,
    List<ProviderConfig> providers,
    Duration linger,
    Duration deadlineLead,
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
    Function<ProviderConfig, BatchProvider> batchProviders) {

  public static final Duration DEFAULT_LINGER = Duration.ofMinutes(5);
  public static final Duration DEFAULT_DEADLINE_LEAD = Duration.ofHours(25);
  public static final int DEFAULT_MAX_ATTEMPTS = 3;
  public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(30);
  public static final Duration DEFAULT_RETRY_DELAY = Duration.ofSeconds(30);
  public static final Duration DEFAULT_RECONCILE_GRACE = Duration.ofMinutes(2);
  public static final Duration DEFAULT_RECONCILE_SKEW = Duration.ofMinutes(10);
  public static final Duration DEFAULT_TICK = Duration.ofSeconds(1);
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
    kafkaProperties = Map.copyOf(kafkaProperties == null ? Map.of() : kafkaProperties);
    Objects.requireNonNull(batchProviders, "batch-submitter.batch-providers");
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

  private static IllegalArgumentException invalid(String key, String problem) {
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
          adapters);
    }
  }
}
