package io.sluice.jobapi;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.sluice.jobapi.bulk.BulkSettings;
import io.sluice.jobapi.cache.CacheSettings;
import io.sluice.jobapi.tenant.TenantSettings;
import io.sluice.jobapi.webhook.WebhookSettings;
import io.sluice.observability.Meters;
import io.sluice.schemas.model.ModelCatalog;
import io.sluice.schemas.topic.TopicCatalog;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything job-api needs to run. Build with {@link #builder()}; the constructor checks every
 * setting and throws {@link InvalidSettingsException} naming each bad one.
 *
 * @param httpHost the address to listen on ({@code 0.0.0.0} for all)
 * @param httpPort the HTTP port; 0 picks a free one
 * @param jdbcUrl the PostgreSQL database, {@code jdbc:postgresql://host:port/db}
 * @param dbUser the database user
 * @param dbPassword the database password (may be empty; never printed)
 * @param dbPoolSize connections in the pool
 * @param kafkaBootstrap Kafka bootstrap servers, {@code host:port[,host:port...]}
 * @param topicPrefix the topic name prefix ({@code sluice} in production)
 * @param topicPartitions partitions of the topics job-api creates when they are missing
 * @param topicReplicationFactor replicas of those topics
 * @param models the models clients may ask for
 * @param maxBodyBytes the largest request body accepted; larger ones get 413
 * @param idempotencyRetention how long an Idempotency-Key is remembered (at least 24 h)
 * @param idempotencyPurgeInterval how often expired Idempotency-Keys are deleted from the database
 *     (default 10 min; zero: never, e.g. when another instance or a database job does it)
 * @param outboxRelayEnabled whether this instance publishes the outbox (false: intake only; another
 *     instance's relay publishes)
 * @param outboxPollInterval how often the relay looks for rows other instances left, besides being
 *     woken after each commit of this instance
 * @param eventsConsumerEnabled whether this instance projects {@code sluice.jobs.events}
 * @param eventsConsumerGroup the consumer group for job events; defaults to {@code
 *     <topicPrefix>.job-api}, so deployments with different prefixes on one cluster never share it
 * @param eventsConsumerInstanceId this instance's static member ID in that group, or {@code null}
 *     for a dynamic member: an instance restarted with the same ID takes its partitions back at
 *     once, instead of after the crashed member's session expires (job statuses stand still until
 *     then). Unique per instance: two live instances with one ID fence each other.
 * @param webhooks how webhooks are sent; off unless {@code webhooks.secretKey} is set
 * @param tenants the default per-tenant request limit and how long API keys are cached
 * @param bulk limits of the Files and Batches API (file size, line size, lines per batch)
 * @param cache the result cache: on or off, the default TTL, how often expired answers go
 * @param clock the time source
 * @param meters where job-api's meters are registered ({@link Meters#none()} unless set)
 * @param openTelemetry where job-api's spans go ({@link OpenTelemetry#noop()} unless set: no spans,
 *     and no trace context stored with jobs or written on their records)
 */
public record JobApiSettings(
    String httpHost,
    int httpPort,
    String jdbcUrl,
    String dbUser,
    String dbPassword,
    int dbPoolSize,
    String kafkaBootstrap,
    String topicPrefix,
    int topicPartitions,
    short topicReplicationFactor,
    ModelCatalog models,
    long maxBodyBytes,
    Duration idempotencyRetention,
    Duration idempotencyPurgeInterval,
    boolean outboxRelayEnabled,
    Duration outboxPollInterval,
    boolean eventsConsumerEnabled,
    String eventsConsumerGroup,
    String eventsConsumerInstanceId,
    WebhookSettings webhooks,
    TenantSettings tenants,
    BulkSettings bulk,
    CacheSettings cache,
    Clock clock,
    MeterRegistry meters,
    OpenTelemetry openTelemetry) {

  public static final String DEFAULT_HTTP_HOST = "0.0.0.0";
  public static final int DEFAULT_DB_POOL_SIZE = 10;
  public static final int DEFAULT_TOPIC_PARTITIONS = 6;
  public static final long DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
  public static final Duration MIN_IDEMPOTENCY_RETENTION = Duration.ofHours(24);
  public static final Duration DEFAULT_IDEMPOTENCY_PURGE_INTERVAL = Duration.ofMinutes(10);
  public static final Duration DEFAULT_OUTBOX_POLL_INTERVAL = Duration.ofSeconds(1);

  public JobApiSettings {
    List<String> problems = new ArrayList<>();
    require(problems, httpHost != null && !httpHost.isBlank(), "httpHost must not be blank");
    require(problems, httpPort >= 0 && httpPort <= 65535, "httpPort must be 0 to 65535");
    require(
        problems,
        jdbcUrl != null && jdbcUrl.startsWith("jdbc:postgresql:"),
        "jdbcUrl must be a PostgreSQL JDBC URL (jdbc:postgresql://host:port/database)");
    require(problems, dbUser != null && !dbUser.isBlank(), "dbUser must not be blank");
    require(problems, dbPassword != null, "dbPassword must not be null (may be empty)");
    require(problems, dbPoolSize >= 1 && dbPoolSize <= 200, "dbPoolSize must be 1 to 200");
    require(
        problems,
        kafkaBootstrap != null && kafkaBootstrap.matches("[^\\s,]+:\\d+(,[^\\s,]+:\\d+)*"),
        "kafkaBootstrap must be host:port[,host:port...]");
    require(problems, isTopicPrefix(topicPrefix), "topicPrefix must be letters, digits, . _ -");
    require(
        problems,
        topicPartitions >= 1 && topicPartitions <= 10_000,
        "topicPartitions must be 1 to 10000");
    require(problems, topicReplicationFactor >= 1, "topicReplicationFactor must be at least 1");
    require(problems, models != null && !models.names().isEmpty(), "models must name a model");
    require(
        problems,
        maxBodyBytes >= 1024 && maxBodyBytes <= 100L * 1024 * 1024,
        "maxBodyBytes must be 1024 to 104857600");
    require(
        problems,
        idempotencyRetention != null
            && idempotencyRetention.compareTo(MIN_IDEMPOTENCY_RETENTION) >= 0,
        "idempotencyRetention must be at least 24 hours");
    require(
        problems,
        idempotencyPurgeInterval != null
            && !idempotencyPurgeInterval.isNegative()
            && idempotencyPurgeInterval.compareTo(Duration.ofDays(1)) <= 0,
        "idempotencyPurgeInterval must be 0 (off) to 24 hours");
    require(
        problems,
        outboxPollInterval != null
            && outboxPollInterval.toMillis() >= 10
            && outboxPollInterval.compareTo(Duration.ofMinutes(1)) <= 0,
        "outboxPollInterval must be 10 ms to 1 minute");
    require(
        problems,
        eventsConsumerGroup != null && !eventsConsumerGroup.isBlank(),
        "eventsConsumerGroup must not be blank");
    require(
        problems,
        eventsConsumerInstanceId == null
            || eventsConsumerInstanceId.matches("[A-Za-z0-9._-]{1,200}"),
        "eventsConsumerInstanceId must be 1 to 200 letters, digits, . _ -");
    require(problems, webhooks != null, "webhooks must not be null");
    if (webhooks != null) {
      problems.addAll(webhooks.problems());
    }
    require(problems, bulk != null, "bulk must not be null");
    require(problems, cache != null, "cache must not be null");
    if (bulk != null) {
      problems.addAll(bulk.problems());
    }
    require(problems, tenants != null, "tenants must not be null");
    if (tenants != null) {
      problems.addAll(tenants.problems());
    }
    require(problems, clock != null, "clock must not be null");
    require(problems, meters != null, "meters must not be null");
    require(problems, openTelemetry != null, "openTelemetry must not be null");
    if (!problems.isEmpty()) {
      throw new InvalidSettingsException(problems);
    }
  }

  private static void require(List<String> problems, boolean condition, String problem) {
    if (!condition) {
      problems.add(problem);
    }
  }

  private static boolean isTopicPrefix(String prefix) {
    try {
      new TopicCatalog(prefix);
      return true;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  /**
   * The Kafka client ID of this job-api's producer and consumer: {@code <topicPrefix>-job-api}
   * ({@code sluice-job-api} by default), so two deployments on one cluster are told apart in broker
   * logs, metrics and quotas. job-api uses no transactional ID (its producer is idempotent, not
   * transactional); its one consumer group is {@link #eventsConsumerGroup()}.
   */
  public String kafkaClientId() {
    return topicPrefix + "-job-api";
  }

  /** The topics under {@link #topicPrefix()}. */
  public TopicCatalog topics() {
    return new TopicCatalog(topicPrefix);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** A builder with these settings, to change some of them. */
  public Builder toBuilder() {
    return new Builder()
        .httpHost(httpHost)
        .httpPort(httpPort)
        .jdbcUrl(jdbcUrl)
        .dbUser(dbUser)
        .dbPassword(dbPassword)
        .dbPoolSize(dbPoolSize)
        .kafkaBootstrap(kafkaBootstrap)
        .topicPrefix(topicPrefix)
        .topicPartitions(topicPartitions)
        .topicReplicationFactor(topicReplicationFactor)
        .models(models)
        .maxBodyBytes(maxBodyBytes)
        .idempotencyRetention(idempotencyRetention)
        .idempotencyPurgeInterval(idempotencyPurgeInterval)
        .outboxRelayEnabled(outboxRelayEnabled)
        .outboxPollInterval(outboxPollInterval)
        .eventsConsumerEnabled(eventsConsumerEnabled)
        .eventsConsumerGroup(eventsConsumerGroup)
        .eventsConsumerInstanceId(eventsConsumerInstanceId)
        .webhooks(webhooks)
        .tenants(tenants)
        .bulk(bulk)
        .cache(cache)
        .clock(clock)
        .meters(meters)
        .openTelemetry(openTelemetry);
  }

  @Override
  public String toString() {
    return "JobApiSettings[http="
        + httpHost
        + ":"
        + httpPort
        + ", jdbcUrl="
        + jdbcUrl
        + ", dbUser="
        + dbUser
        + ", dbPassword=***, kafkaBootstrap="
        + kafkaBootstrap
        + ", topicPrefix="
        + topicPrefix
        + ", maxBodyBytes="
        + maxBodyBytes
        + ", outboxRelayEnabled="
        + outboxRelayEnabled
        + ", eventsConsumerEnabled="
        + eventsConsumerEnabled
        + ", webhooks="
        + webhooks
        + ", tenants="
        + tenants
        + ", cache="
        + cache
        + "]";
  }

  /** Collects settings; unset ones take the defaults named in {@link JobApiSettings}. */
  public static final class Builder {
    private String httpHost = DEFAULT_HTTP_HOST;
    private int httpPort;
    private String jdbcUrl;
    private String dbUser;
    private String dbPassword = "";
    private int dbPoolSize = DEFAULT_DB_POOL_SIZE;
    private String kafkaBootstrap;
    private String topicPrefix = TopicCatalog.DEFAULT.prefix();
    private int topicPartitions = DEFAULT_TOPIC_PARTITIONS;
    private short topicReplicationFactor = 1;
    private ModelCatalog models = ModelCatalog.defaults();
    private long maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
    private Duration idempotencyRetention = MIN_IDEMPOTENCY_RETENTION;
    private Duration idempotencyPurgeInterval = DEFAULT_IDEMPOTENCY_PURGE_INTERVAL;
    private boolean outboxRelayEnabled = true;
    private Duration outboxPollInterval = DEFAULT_OUTBOX_POLL_INTERVAL;
    private boolean eventsConsumerEnabled = true;
    private String eventsConsumerGroup;
    private String eventsConsumerInstanceId;
    private WebhookSettings webhooks = WebhookSettings.defaults();
    private TenantSettings tenants = TenantSettings.defaults();
    private BulkSettings bulk = BulkSettings.defaults();
    private CacheSettings cache = CacheSettings.defaults();
    private Clock clock = Clock.systemUTC();
    private MeterRegistry meters = Meters.none();
    private OpenTelemetry openTelemetry = OpenTelemetry.noop();

    private Builder() {}

    public Builder httpHost(String value) {
      httpHost = value;
      return this;
    }

    public Builder httpPort(int value) {
      httpPort = value;
      return this;
    }

    public Builder jdbcUrl(String value) {
      jdbcUrl = value;
      return this;
    }

    public Builder dbUser(String value) {
      dbUser = value;
      return this;
    }

    public Builder dbPassword(String value) {
      dbPassword = value;
      return this;
    }

    public Builder dbPoolSize(int value) {
      dbPoolSize = value;
      return this;
    }

    public Builder kafkaBootstrap(String value) {
      kafkaBootstrap = value;
      return this;
    }

    public Builder topicPrefix(String value) {
      topicPrefix = value;
      return this;
    }

    public Builder topicPartitions(int value) {
      topicPartitions = value;
      return this;
    }

    public Builder topicReplicationFactor(short value) {
      topicReplicationFactor = value;
      return this;
    }

    public Builder models(ModelCatalog value) {
      models = value;
      return this;
    }

    public Builder maxBodyBytes(long value) {
      maxBodyBytes = value;
      return this;
    }

    public Builder idempotencyRetention(Duration value) {
      idempotencyRetention = value;
      return this;
    }

    /** How often expired keys are deleted; {@link Duration#ZERO} turns the purge off. */
    public Builder idempotencyPurgeInterval(Duration value) {
      idempotencyPurgeInterval = value;
      return this;
    }

    public Builder outboxRelayEnabled(boolean value) {
      outboxRelayEnabled = value;
      return this;
    }

    public Builder outboxPollInterval(Duration value) {
      outboxPollInterval = value;
      return this;
    }

    public Builder eventsConsumerEnabled(boolean value) {
      eventsConsumerEnabled = value;
      return this;
    }

    /** Defaults to {@code <topicPrefix>.job-api}. */
    public Builder eventsConsumerGroup(String value) {
      eventsConsumerGroup = value;
      return this;
    }

    /** A static member ID for the events consumer; unset (null): a dynamic member. */
    public Builder eventsConsumerInstanceId(String value) {
      eventsConsumerInstanceId = value;
      return this;
    }

    /** Webhook settings; {@link WebhookSettings#defaults()} (webhooks off) unless set. */
    public Builder webhooks(WebhookSettings value) {
      webhooks = value;
      return this;
    }

    /**
     * Turns webhooks on with this key (base64 of 32 random bytes) that encrypts their secrets in
     * the database; the other webhook settings stay as they are.
     */
    public Builder webhookSecretKey(String base64Key) {
      webhooks = webhooks.withSecretKey(base64Key);
      return this;
    }

    /** Request limits and the key cache; {@link TenantSettings#defaults()} unless set. */
    public Builder tenants(TenantSettings value) {
      tenants = value;
      return this;
    }

    public Builder bulk(BulkSettings value) {
      bulk = value;
      return this;
    }

    /** The result cache; {@link CacheSettings#defaults()} (on, 24 h) unless set. */
    public Builder cache(CacheSettings value) {
      cache = value;
      return this;
    }

    public Builder clock(Clock value) {
      clock = value;
      return this;
    }

    public Builder meters(MeterRegistry value) {
      meters = value;
      return this;
    }

    /** Where job-api's spans go (default {@link OpenTelemetry#noop()}: tracing off). */
    public Builder openTelemetry(OpenTelemetry value) {
      openTelemetry = value;
      return this;
    }

    public JobApiSettings build() {
      return new JobApiSettings(
          httpHost,
          httpPort,
          jdbcUrl,
          dbUser,
          dbPassword,
          dbPoolSize,
          kafkaBootstrap,
          topicPrefix,
          topicPartitions,
          topicReplicationFactor,
          models,
          maxBodyBytes,
          idempotencyRetention,
          idempotencyPurgeInterval,
          outboxRelayEnabled,
          outboxPollInterval,
          eventsConsumerEnabled,
          eventsConsumerGroup == null ? topicPrefix + ".job-api" : eventsConsumerGroup,
          eventsConsumerInstanceId,
          webhooks,
          tenants,
          bulk,
          cache,
          clock,
          meters,
          openTelemetry);
    }
  }
}
