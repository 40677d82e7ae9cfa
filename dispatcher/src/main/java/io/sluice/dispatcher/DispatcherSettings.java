package io.sluice.dispatcher;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.sluice.dispatcher.fairness.PacingSettings;
import io.sluice.fallback.FallbackChains;
import io.sluice.fallback.FallbackPolicy;
import io.sluice.lane.DeadlinePolicy;
import io.sluice.observability.Meters;
import io.sluice.schemas.model.ModelCatalog;
import io.sluice.schemas.task.Lane;
import io.sluice.schemas.topic.TopicCatalog;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * How to run the dispatcher. Validated on construction; a bad value fails with a message naming the
 * setting.
 *
 * @param bootstrapServers the Kafka cluster, {@code host:port[,host:port...]}
 * @param topicPrefix the topic name prefix ({@code sluice} in production)
 * @param applicationId the Kafka Streams application ID (consumer group, transactional IDs, names
 *     of internal topics and of state directories); all instances of one dispatcher share it. By
 *     default {@code <topicPrefix>-dispatcher}, so two deployments with different prefixes on one
 *     cluster never share a consumer group
 * @param stateDir where the state stores live on disk
 * @param models the model catalogue: names and aliases to provider and provider model
 * @param partitions partitions of the topics the dispatcher creates when they are missing
 * @param replicationFactor replicas of created topics and of the state store changelogs; {@code -1}
 *     for the broker's default
 * @param commitInterval how often Streams commits its transaction; output is visible to readers
 *     only after the commit, so this bounds the latency the dispatcher adds (at most 100 ms
 *     recommended)
 * @param streamThreads Kafka Streams threads in this instance
 * @param dedupRetention how long the dedup entry of a dispatched job (against job-api's outbox
 *     redelivering a submission) and of a finished job (against workers redelivering a result) is
 *     kept, counted from the dispatch and from the end of the job; a copy arriving later is
 *     processed again. Bounds the state stores, and so the restore after an unclean stop
 * @param deadlines what a job's deadline means: when {@code auto} may wait for a provider batch
 *     (batch window plus margin), when a deferred task falls back to realtime, when a job has
 *     expired ({@link DeadlinePolicy#DEFAULT} by default). The batch window is also how long the
 *     entry of a finished job whose task fell back to realtime is kept, for its batch line's cost
 * @param expiryCheckInterval how often the jobs whose deadline has passed are ended {@code
 *     expired}; a job ends at most this long after its deadline (plus a commit interval)
 * @param meters where the dispatcher's meters are registered ({@link Meters#none()} unless set)
 * @param batchProviders the providers whose deferred lane a batch-submitter serves with a provider
 *     batch API; deferred work of the others runs on their {@code bulk} realtime lane (default:
 *     every provider of the catalogue)
 * @param openTelemetry where the dispatcher's spans go ({@link OpenTelemetry#noop()} unless set: no
 *     spans, and the trace context on records is passed on untouched)
 * @param fallback the fallback chains of completion jobs: the deployment's chains and the context
 *     windows a context failure compares ({@link FallbackPolicy#none} unless set: a job's own
 *     {@code fallback} list still applies)
 * @param stateStores RocksDB under {@code stateDir} ({@link StateStores#PERSISTENT}, the default)
 *     or in memory, restored from the changelogs at every start ({@code sluice local})
 * @param pacing which lanes the dispatcher paces by weighted fair queuing between tenants, and with
 *     what window and weights ({@link PacingSettings#DEFAULT} unless set; docs/fairness.md)
 */
public record DispatcherSettings(
    String bootstrapServers,
    String topicPrefix,
    String applicationId,
    Path stateDir,
    ModelCatalog models,
    int partitions,
    short replicationFactor,
    Duration commitInterval,
    int streamThreads,
    Duration dedupRetention,
    DeadlinePolicy deadlines,
    Duration expiryCheckInterval,
    MeterRegistry meters,
    Set<String> batchProviders,
    OpenTelemetry openTelemetry,
    FallbackPolicy fallback,
    StateStores stateStores,
    PacingSettings pacing) {

  /** The application ID of a deployment's dispatcher is {@code <topicPrefix>} + this. */
  public static final String APPLICATION_ID_SUFFIX = "-dispatcher";

  /** The application ID with the default topic prefix. */
  public static final String DEFAULT_APPLICATION_ID =
      TopicCatalog.DEFAULT.prefix() + APPLICATION_ID_SUFFIX;

  public static final Duration DEFAULT_DEDUP_RETENTION = Duration.ofHours(1);
  public static final Duration MIN_DEDUP_RETENTION = Duration.ofSeconds(1);
  static final Duration MIN_SWEEP_INTERVAL = Duration.ofMillis(500);
  static final Duration MAX_SWEEP_INTERVAL = Duration.ofMinutes(1);
  public static final int DEFAULT_PARTITIONS = 6;
  public static final short DEFAULT_REPLICATION_FACTOR = -1;
  public static final Duration DEFAULT_COMMIT_INTERVAL = Duration.ofMillis(50);
  public static final Duration MAX_COMMIT_INTERVAL = Duration.ofMinutes(1);
  public static final Duration DEFAULT_EXPIRY_CHECK_INTERVAL = Duration.ofSeconds(1);
  public static final Duration MIN_EXPIRY_CHECK_INTERVAL = Duration.ofMillis(10);
  public static final Duration MAX_EXPIRY_CHECK_INTERVAL = Duration.ofMinutes(1);

  private static final Pattern APPLICATION_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

  public DispatcherSettings {
    batchProviders = batchProviders == null ? Set.of() : Set.copyOf(batchProviders);
    openTelemetry = openTelemetry == null ? OpenTelemetry.noop() : openTelemetry;
    fallback = fallback == null && models != null ? FallbackPolicy.none(models) : fallback;
    stateStores = stateStores == null ? StateStores.PERSISTENT : stateStores;
    pacing = pacing == null ? PacingSettings.DEFAULT : pacing;
    require(
        bootstrapServers != null && !bootstrapServers.isBlank(),
        "bootstrapServers",
        "must name at least one broker (host:port)",
        bootstrapServers);
    require(
        topicPrefix != null && isValidPrefix(topicPrefix),
        "topicPrefix",
        "must be letters, digits, '.', '_' or '-'",
        topicPrefix);
    require(
        applicationId != null && APPLICATION_ID.matcher(applicationId).matches(),
        "applicationId",
        "must be letters, digits, '.', '_' or '-'",
        applicationId);
    require(stateDir != null, "stateDir", "must be set", stateDir);
    require(
        models != null && !models.providers().isEmpty(),
        "models",
        "must route at least one model to a provider",
        models);
    requireTopicSafeProviders(topicPrefix, models);
    require(partitions >= 1, "partitions", "must be at least 1", partitions);
    require(
        replicationFactor == -1 || replicationFactor >= 1,
        "replicationFactor",
        "must be at least 1, or -1 for the broker's default",
        replicationFactor);
    require(
        commitInterval != null
            && commitInterval.toMillis() >= 1
            && commitInterval.compareTo(MAX_COMMIT_INTERVAL) <= 0,
        "commitInterval",
        "must be between 1 ms and " + MAX_COMMIT_INTERVAL,
        commitInterval);
    require(streamThreads >= 1, "streamThreads", "must be at least 1", streamThreads);
    require(
        dedupRetention != null && dedupRetention.compareTo(MIN_DEDUP_RETENTION) >= 0,
        "dedupRetention",
        "must be at least " + MIN_DEDUP_RETENTION,
        dedupRetention);
    require(deadlines != null, "deadlines", "must be set", deadlines);
    require(
        expiryCheckInterval != null
            && expiryCheckInterval.compareTo(MIN_EXPIRY_CHECK_INTERVAL) >= 0
            && expiryCheckInterval.compareTo(MAX_EXPIRY_CHECK_INTERVAL) <= 0,
        "expiryCheckInterval",
        "must be between " + MIN_EXPIRY_CHECK_INTERVAL + " and " + MAX_EXPIRY_CHECK_INTERVAL,
        expiryCheckInterval);
  }

  /** The application ID a deployment with this topic prefix uses by default. */
  public static String applicationIdFor(String topicPrefix) {
    return topicPrefix + APPLICATION_ID_SUFFIX;
  }

  /**
   * How often expired dedup entries are deleted: a tenth of the retention, between 0.5 s and 1 min.
   */
  public Duration sweepInterval() {
    Duration tenth = dedupRetention.dividedBy(10);
    if (tenth.compareTo(MIN_SWEEP_INTERVAL) < 0) {
      return MIN_SWEEP_INTERVAL;
    }
    return tenth.compareTo(MAX_SWEEP_INTERVAL) > 0 ? MAX_SWEEP_INTERVAL : tenth;
  }

  /** Settings with defaults for everything but the cluster and the state directory. */
  public static Builder builder(String bootstrapServers, Path stateDir) {
    return new Builder(bootstrapServers, stateDir);
  }

  /** The topics these settings address. */
  public TopicCatalog topics() {
    return new TopicCatalog(topicPrefix);
  }

  private static boolean isValidPrefix(String prefix) {
    try {
      new TopicCatalog(prefix);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static void requireTopicSafeProviders(String topicPrefix, ModelCatalog models) {
    for (String provider : models.providers()) {
      try {
        new TopicCatalog(topicPrefix).tasks(provider, Lane.STANDARD);
      } catch (IllegalArgumentException e) {
        throw invalid(
            "models", "has a provider name unusable in topic names: " + e.getMessage(), provider);
      }
    }
  }

  private static void require(boolean valid, String setting, String rule, Object value) {
    if (!valid) {
      throw invalid(setting, rule, value);
    }
  }

  private static IllegalArgumentException invalid(String setting, String rule, Object value) {
    return new IllegalArgumentException(
        "dispatcher setting '" + setting + "' " + rule + ", got: " + value);
  }

  /** Builds {@link DispatcherSettings} from defaults. */
  public static final class Builder {
    private final String bootstrapServers;
    private final Path stateDir;
    private String topicPrefix = TopicCatalog.DEFAULT.prefix();
    private String applicationId;
    private ModelCatalog models = ModelCatalog.defaults();
    private int partitions = DEFAULT_PARTITIONS;
    private short replicationFactor = DEFAULT_REPLICATION_FACTOR;
    private Duration commitInterval = DEFAULT_COMMIT_INTERVAL;
    private int streamThreads = 1;
    private Duration dedupRetention = DEFAULT_DEDUP_RETENTION;
    private Duration batchWindow = DeadlinePolicy.DEFAULT.batchWindow();
    private Duration batchMargin = DeadlinePolicy.DEFAULT.batchMargin();
    private Duration realtimeLead = DeadlinePolicy.DEFAULT.realtimeLead();
    private Duration expiryCheckInterval = DEFAULT_EXPIRY_CHECK_INTERVAL;
    private MeterRegistry meters = Meters.none();
    private Set<String> batchProviders;
    private OpenTelemetry openTelemetry = OpenTelemetry.noop();
    private FallbackChains fallbackChains = FallbackChains.NONE;
    private Map<String, Long> contextWindows = Map.of();
    private StateStores stateStores = StateStores.PERSISTENT;
    private PacingSettings pacing = PacingSettings.DEFAULT;

    private Builder(String bootstrapServers, Path stateDir) {
      this.bootstrapServers = bootstrapServers;
      this.stateDir = stateDir;
    }

    public Builder topicPrefix(String topicPrefix) {
      this.topicPrefix = topicPrefix;
      return this;
    }

    /** Sets the application ID explicitly; by default it is {@code <topicPrefix>-dispatcher}. */
    public Builder applicationId(String applicationId) {
      this.applicationId = applicationId;
      return this;
    }

    /** The providers whose deferred lane is served by a provider batch API. */
    public Builder batchProviders(Set<String> providers) {
      this.batchProviders = Set.copyOf(providers);
      return this;
    }

    public Builder models(ModelCatalog models) {
      this.models = Objects.requireNonNull(models, "models");
      return this;
    }

    public Builder partitions(int partitions) {
      this.partitions = partitions;
      return this;
    }

    public Builder replicationFactor(short replicationFactor) {
      this.replicationFactor = replicationFactor;
      return this;
    }

    public Builder commitInterval(Duration commitInterval) {
      this.commitInterval = commitInterval;
      return this;
    }

    public Builder streamThreads(int streamThreads) {
      this.streamThreads = streamThreads;
      return this;
    }

    public Builder dedupRetention(Duration dedupRetention) {
      this.dedupRetention = dedupRetention;
      return this;
    }

    /** How long a provider batch may take (default 24 h). */
    public Builder batchWindow(Duration batchWindow) {
      this.batchWindow = batchWindow;
      return this;
    }

    /**
     * The slack beyond the batch window that {@code auto} needs to choose a batch (default 1 h).
     */
    public Builder batchMargin(Duration batchMargin) {
      this.batchMargin = batchMargin;
      return this;
    }

    /** How long before its deadline an unfinished deferred task falls back (default 1 h). */
    public Builder realtimeLead(Duration realtimeLead) {
      this.realtimeLead = realtimeLead;
      return this;
    }

    /** All three deadline durations at once. */
    public Builder deadlines(DeadlinePolicy deadlines) {
      return batchWindow(deadlines.batchWindow())
          .batchMargin(deadlines.batchMargin())
          .realtimeLead(deadlines.realtimeLead());
    }

    public Builder expiryCheckInterval(Duration expiryCheckInterval) {
      this.expiryCheckInterval = expiryCheckInterval;
      return this;
    }

    public Builder meters(MeterRegistry meters) {
      this.meters = Objects.requireNonNull(meters, "meters");
      return this;
    }

    /** Where the dispatcher's spans go (default {@link OpenTelemetry#noop()}: tracing off). */
    public Builder openTelemetry(OpenTelemetry openTelemetry) {
      this.openTelemetry = Objects.requireNonNull(openTelemetry, "openTelemetry");
      return this;
    }

    /**
     * The deployment's fallback chains ({@code SLUICE_FALLBACK}) and the context windows of
     * provider models, which decide where a prompt too long for one model may go (default: no
     * chains, no windows).
     */
    public Builder fallback(FallbackChains chains, Map<String, Long> contextWindows) {
      this.fallbackChains = Objects.requireNonNull(chains, "chains");
      this.contextWindows = Map.copyOf(contextWindows);
      return this;
    }

    /** Where the state stores live (default {@link StateStores#PERSISTENT}). */
    public Builder stateStores(StateStores stateStores) {
      this.stateStores = Objects.requireNonNull(stateStores, "stateStores");
      return this;
    }

    /** How the standard and bulk lanes are paced between tenants (docs/fairness.md). */
    public Builder pacing(PacingSettings pacing) {
      this.pacing = Objects.requireNonNull(pacing, "pacing");
      return this;
    }

    public DispatcherSettings build() {
      return new DispatcherSettings(
          bootstrapServers,
          topicPrefix,
          applicationId != null ? applicationId : applicationIdFor(topicPrefix),
          stateDir,
          models,
          partitions,
          replicationFactor,
          commitInterval,
          streamThreads,
          dedupRetention,
          deadlinePolicy(),
          expiryCheckInterval,
          meters,
          batchProviders == null ? models.providers() : batchProviders,
          openTelemetry,
          new FallbackPolicy(models, fallbackChains, contextWindows),
          stateStores,
          pacing);
    }

    private DeadlinePolicy deadlinePolicy() {
      require(batchWindow != null, "batchWindow", "must be set", batchWindow);
      require(batchMargin != null, "batchMargin", "must be set", batchMargin);
      require(realtimeLead != null, "realtimeLead", "must be set", realtimeLead);
      require(batchWindow.isPositive(), "batchWindow", "must be positive", batchWindow);
      require(!batchMargin.isNegative(), "batchMargin", "must not be negative", batchMargin);
      require(!realtimeLead.isNegative(), "realtimeLead", "must not be negative", realtimeLead);
      return new DeadlinePolicy(batchWindow, batchMargin, realtimeLead);
    }
  }
}
