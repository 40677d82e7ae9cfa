package io.sluice.launcher.local;

import io.opentelemetry.api.OpenTelemetry;
import io.sluice.batch.BatchSubmitter;
import io.sluice.batch.BatchSubmitterSettings;
import io.sluice.dispatcher.Dispatcher;
import io.sluice.dispatcher.DispatcherSettings;
import io.sluice.dispatcher.StateStores;
import io.sluice.egress.EgressRules;
import io.sluice.egress.HostResolver;
import io.sluice.embedded.EmbeddedKafka;
import io.sluice.embedded.EmbeddedPostgres;
import io.sluice.embedded.KafkaEndpoint;
import io.sluice.embedded.KafkaOptions;
import io.sluice.embedded.PostgresEndpoint;
import io.sluice.embedded.PostgresOptions;
import io.sluice.embedded.StartingKafka;
import io.sluice.fallback.ContextWindows;
import io.sluice.fallback.FallbackChains;
import io.sluice.jobapi.JobApi;
import io.sluice.jobapi.JobApiSettings;
import io.sluice.jobapi.bulk.BulkSettings;
import io.sluice.jobapi.webhook.WebhookSettings;
import io.sluice.launcher.limits.ProfileLimits;
import io.sluice.launcher.limits.SharedLimits;
import io.sluice.launcher.management.Management;
import io.sluice.launcher.reachability.ReachabilityWatch;
import io.sluice.launcher.serve.Environment;
import io.sluice.launcher.serve.ServeCommand;
import io.sluice.launcher.tracing.ComponentTracing;
import io.sluice.lifecycle.Lifecycle;
import io.sluice.lifecycle.Lifecycle.PartStart;
import io.sluice.observability.Health;
import io.sluice.observability.HealthChecks;
import io.sluice.providers.Provider;
import io.sluice.providers.ProviderConfig;
import io.sluice.providers.ProviderFactory;
import io.sluice.providers.ProviderKind;
import io.sluice.ratelimit.RateLimiter;
import io.sluice.ratelimit.RateLimits;
import io.sluice.schemas.model.ModelCatalog;
import io.sluice.schemas.topic.TopicCatalog;
import io.sluice.simulator.LatencySettings;
import io.sluice.simulator.Profile;
import io.sluice.simulator.Simulator;
import io.sluice.simulator.SimulatorConfig;
import io.sluice.workers.WorkerPool;
import io.sluice.workers.WorkerSettings;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every Sluice component in one JVM, on embedded Kafka and PostgreSQL, with the provider simulator
 * standing in for OpenAI and Anthropic. Data stays in the data directory, so a stop and a start
 * lose nothing.
 *
 * <p>Parts are registered in this order and {@link #close()} stops them in the reverse one, through
 * one {@link Lifecycle}: PostgreSQL, Kafka, the simulator, the dispatcher, the worker pools (with
 * their rate limiters), the batch-submitter (the deferred lane, on the simulator's batch APIs), the
 * job API. They start in two waves, each wave's parts at the same time ({@link
 * Lifecycle#startTogether}): the servers, then the components, so that a restart takes about the
 * time of the slowest part of each wave rather than the sum of all. So on a stop the API first
 * stops accepting and finishes its requests, its outbox relay and events consumer stop, the
 * batch-submitter stops its intake and loops (pending items and provider batches stay recorded in
 * PostgreSQL), the workers finish or release their tasks, the dispatcher commits and leaves its
 * group, and only then do Kafka and PostgreSQL stop. The embedded servers install no shutdown hooks
 * of their own: {@link #start} installs the lifecycle's one hook.
 */
public final class LocalPlatform implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LocalPlatform.class);
  private static final String DEFAULT_TOPIC_PREFIX = "sluice";
  private static final String DEV_TENANT = "local-dev";
  static final String SIMULATOR_KEY = "sk-sluice-local-simulator";

  /**
   * How long the oldest deferred item waits for others locally: short, so that a deferred job
   * submitted by hand finishes in seconds (the simulator's batches take about a second).
   */
  static final Duration LOCAL_BATCH_LINGER = Duration.ofSeconds(2);

  /** How often a local provider batch's status is read. */
  static final Duration LOCAL_BATCH_POLL = Duration.ofSeconds(1);

  /** How long the components wait for a launched broker before the start fails. */
  private static final Duration KAFKA_START_TIMEOUT = Duration.ofMinutes(2);

  private final Lifecycle lifecycle = new Lifecycle("sluice local");
  private final ModelCatalog models = ModelCatalog.defaults();
  private String topicPrefix = DEFAULT_TOPIC_PREFIX;
  private URI apiUrl;
  private URI simulatorUrl;
  private String devApiKey;
  private PostgresEndpoint postgres;
  private KafkaEndpoint kafka;
  private StartingKafka startingKafka;
  private Simulator simulator;
  private Dispatcher dispatcher;
  private JobApi jobApi;
  private Management management;
  private ComponentTracing tracing = ComponentTracing.off();
  private boolean metrics = true;
  private BulkSettings bulk = BulkSettings.defaults();
  private FallbackChains fallbackChains = FallbackChains.NONE;
  private Map<String, Long> contextWindows = Map.of();

  private LocalPlatform() {}

  /**
   * Starts everything, with embedded Kafka and PostgreSQL in the data directory; on a failure stops
   * what was started and rethrows.
   */
  public static LocalPlatform start(LocalOptions options) {
    LocalPlatform platform = new LocalPlatform();
    platform.tracing = ComponentTracing.fromEnvironment(System.getenv());
    Environment environment = new Environment(System.getenv());
    platform.metrics = environment.bool(Management.METRICS_ENABLED, true);
    platform.bulk = ServeCommand.bulkSettings(environment);
    environment.check();
    // a bad chain or window fails the start with a message naming the variable
    platform.fallbackChains =
        FallbackChains.parse(
            environment.optional(FallbackChains.ENVIRONMENT_VARIABLE, ""), platform.models);
    platform.contextWindows =
        ContextWindows.parse(environment.optional(ContextWindows.ENVIRONMENT_VARIABLE, ""));
    platform.lifecycle.closeOnShutdown();
    return platform.startOrClose(
        () -> {
          Path home = createDirectories(options.dataDir());
          platform.serveManagement(options);
          platform.startServers(options, home);
          platform.startComponents(options, home);
        });
  }

  /**
   * Starts the components on servers that are already running (tests use the shared test servers
   * this way), under their own topic prefix. {@link #close()} leaves those servers running.
   */
  public static LocalPlatform startOn(
      LocalOptions options, PostgresEndpoint postgres, KafkaEndpoint kafka, String topicPrefix) {
    return startOn(options, postgres, kafka, topicPrefix, ComponentTracing.off());
  }

  /** As {@link #startOn(LocalOptions, PostgresEndpoint, KafkaEndpoint, String)}, traced. */
  public static LocalPlatform startOn(
      LocalOptions options,
      PostgresEndpoint postgres,
      KafkaEndpoint kafka,
      String topicPrefix,
      ComponentTracing tracing) {
    return startOn(options, postgres, kafka, topicPrefix, tracing, FallbackChains.NONE);
  }

  /**
   * As {@link #startOn(LocalOptions, PostgresEndpoint, KafkaEndpoint, String)}, with the
   * deployment's fallback chains {@code chains} (what {@code SLUICE_FALLBACK} gives {@code sluice
   * local}).
   */
  public static LocalPlatform startOn(
      LocalOptions options,
      PostgresEndpoint postgres,
      KafkaEndpoint kafka,
      String topicPrefix,
      ComponentTracing tracing,
      FallbackChains chains) {
    LocalPlatform platform = new LocalPlatform();
    platform.fallbackChains = chains;
    platform.tracing = tracing;
    platform.topicPrefix = topicPrefix;
    platform.postgres = postgres;
    platform.kafka = kafka;
    return platform.startOrClose(
        () -> {
          platform.serveManagement(options);
          platform.simulator =
              platform.track("simulator", Simulator.start(simulatorConfig(options)));
          platform.startComponents(options, createDirectories(options.dataDir()));
        });
  }

  /**
   * One management endpoint for every component (they record into its one registry), started first
   * so that it answers "not ready" while the rest starts, and stopped last.
   */
  private void serveManagement(LocalOptions options) {
    management = track("management endpoint", Management.local(options.managementPort(), metrics));
    LOG.info("metrics and health of every component on {}", management.url());
  }

  /**
   * Ready while Kafka and PostgreSQL answer and the dispatcher processes; a stop turns it down
   * first (the stop signal is the last part registered, so the first closed).
   */
  private void watchReadiness() {
    ReachabilityWatch kafkaWatch =
        track("Kafka watch", ReachabilityWatch.kafka("sluice local", kafka.bootstrapServers()));
    management.requireReachable("kafka", kafkaWatch, "Kafka at " + kafka.bootstrapServers());
    ReachabilityWatch postgresWatch =
        track(
            "PostgreSQL watch",
            ReachabilityWatch.postgres(
                "sluice local", postgres.jdbcUrl(), postgres.username(), postgres.password()));
    management.requireReachable("postgresql", postgresWatch, "PostgreSQL");
    management
        .readiness()
        .add(
            "dispatcher streams",
            () -> Health.when(dispatcher.isRunning(), "Kafka Streams is not running"));
    track("stop signal", management.stopSignal());
  }

  private LocalPlatform startOrClose(Runnable start) {
    try {
      start.run();
      return this;
    } catch (RuntimeException | Error e) {
      close();
      throw e;
    }
  }

  /**
   * PostgreSQL, Kafka and the simulator, started together. Kafka is only launched here (after an
   * unclean stop its start first unregisters the dead broker): the components start while it comes
   * up ({@link #startComponents}).
   */
  private void startServers(LocalOptions options, Path home) {
    lifecycle.startTogether(
        List.of(
            new PartStart(
                "PostgreSQL",
                () ->
                    postgres =
                        EmbeddedPostgres.start(
                            new PostgresOptions(home.resolve("postgres"), 0).stoppedByOwner())),
            new PartStart(
                "Kafka",
                () ->
                    startingKafka =
                        EmbeddedKafka.launch(
                            KafkaOptions.persistent(home.resolve("kafka")).stoppedByOwner())),
            new PartStart(
                "simulator", () -> simulator = Simulator.start(simulatorConfig(options)))));
    kafka = startingKafka;
  }

  /**
   * The components, started together while Kafka may still be coming up (their clients connect once
   * it is), and registered in the order of the class comment, so that they stop in the reverse of
   * it. A Kafka that fails to start fails the start.
   */
  private void startComponents(LocalOptions options, Path home) {
    simulatorUrl = simulator.baseUrl();
    HealthChecks.Started started = management.readiness().pending("components");
    // each component's tracing (off unless OTEL_EXPORTER_OTLP_ENDPOINT is set) closes after it
    OpenTelemetry dispatcherTracing = tracing.forComponent("sluice-dispatcher", lifecycle);
    OpenTelemetry jobApiTracing = tracing.forComponent("sluice-job-api", lifecycle);
    List<PartStart> components = new ArrayList<>();
    if (startingKafka != null) {
      components.add(new PartStart("Kafka start", this::awaitKafka));
    }
    components.add(
        new PartStart(
            "dispatcher",
            () ->
                dispatcher =
                    Dispatcher.start(dispatcherSettings(options, home, dispatcherTracing))));
    List<PartStart> pools = workerPools(options);
    components.add(new PartStart("worker pools", () -> startedTogether("worker pools", pools)));
    components.add(
        new PartStart(
            "batch-submitter", () -> BatchSubmitter.start(batchSubmitterSettings(options))));
    components.add(
        new PartStart(
            "job-api", () -> jobApi = JobApi.start(jobApiSettings(options, home, jobApiTracing))));
    lifecycle.startTogether(components);
    apiUrl = jobApi.url();
    devApiKey = DevApiKey.ensure(home, jobApi.admin(), DEV_TENANT);
    // the one developer of a local platform is its operator: the dashboard shows every tenant
    jobApi.admin().setOperator(jobApi.admin().ensureTenant(DEV_TENANT).id(), true);
    dispatcher.awaitRunning(Duration.ofSeconds(60));
    started.started();
    watchReadiness();
    LOG.info("Sluice is running locally: API {}, data in {}", apiUrl, home);
  }

  /**
   * The worker pools, one per provider, started and stopped at the same time: they share nothing
   * but Kafka and the rate-limit store, which stop after them, and each pool's stop closes its
   * share consumers, which one pool after the other took 5–7 s of {@code sluice local}'s 15 s stop
   * bound.
   */
  private static AutoCloseable startedTogether(String name, List<PartStart> parts) {
    Lifecycle together = new Lifecycle(name);
    together.startTogether(parts);
    return together::closeTogether;
  }

  /** Waits for the launched broker; nothing to close (the Kafka part stops it). */
  private AutoCloseable awaitKafka() {
    startingKafka.awaitStarted(KAFKA_START_TIMEOUT);
    return () -> {};
  }

  private static SimulatorConfig simulatorConfig(LocalOptions options) {
    return SimulatorConfig.builder()
        .port(0)
        .profile(options.simulatorProfile())
        .latency(new LatencySettings(options.simulatorLatency(), Duration.ofMillis(1)))
        .batches(options.simulatorBatches())
        .build();
  }

  /**
   * Webhooks are on, with the data directory's secret key; they may be delivered over plain HTTP
   * and to this machine (loopback), so a developer can receive on a local port.
   */
  private JobApiSettings jobApiSettings(
      LocalOptions options, Path home, OpenTelemetry openTelemetry) {
    return JobApiSettings.builder()
        .httpHost("127.0.0.1")
        .httpPort(options.apiPort())
        .maxBodyBytes(ServeCommand.MAX_BODY_BYTES)
        .bulk(bulk)
        .jdbcUrl(postgres.jdbcUrl())
        .dbUser(postgres.username())
        .dbPassword(postgres.password())
        .kafkaBootstrap(kafka.bootstrapServers())
        .topicPrefix(topicPrefix)
        .topicReplicationFactor((short) 1)
        .models(models)
        .meters(management.meters())
        .openTelemetry(openTelemetry)
        // the one job-api of this data directory: after a crash it takes its partitions back at
        // once instead of waiting for its old member's session to expire
        .eventsConsumerInstanceId(topicPrefix + "-job-api-local")
        .webhooks(
            WebhookSettings.defaults()
                .withSecretKey(WebhookKey.ensure(home))
                .withEgress(EgressRules.local(), HostResolver.system()))
        .build();
  }

  private DispatcherSettings dispatcherSettings(
      LocalOptions options, Path home, OpenTelemetry openTelemetry) {
    return DispatcherSettings.builder(kafka.bootstrapServers(), home.resolve("dispatcher"))
        .topicPrefix(topicPrefix)
        .deadlines(options.deadlines())
        .models(models)
        .replicationFactor((short) 1)
        .meters(management.meters())
        .openTelemetry(openTelemetry)
        .batchProviders(ProviderKind.withBatchApi(models.providers()))
        .fallback(fallbackChains, contextWindows)
        // Small stores (dedup entries expire): restoring them beats opening and, after a crash,
        // wiping one RocksDB per task (docs/benchmarks.md, restart after SIGKILL).
        .stateStores(StateStores.IN_MEMORY)
        .build();
  }

  /**
   * The deferred lane of every provider with a batch API, its accounts pointed at the simulator,
   * its state in the same PostgreSQL database as the job API's.
   */
  private BatchSubmitterSettings batchSubmitterSettings(LocalOptions options) {
    List<ProviderConfig> accounts =
        models.providers().stream()
            .filter(name -> ProviderKind.forProvider(name).hasBatchApi())
            .map(
                name ->
                    ProviderConfig.of(
                        name, ProviderKind.forProvider(name), simulator.baseUrl(), SIMULATOR_KEY))
            .toList();
    BatchSubmitterSettings.Builder settings =
        BatchSubmitterSettings.builder(
                kafka.bootstrapServers(),
                BatchSubmitterSettings.Jdbc.of(
                    postgres.jdbcUrl(), postgres.username(), postgres.password()),
                accounts)
            .topics(new TopicCatalog(topicPrefix))
            .groupId(topicPrefix + "-batch-submitter")
            .topicPartitions(6)
            .linger(LOCAL_BATCH_LINGER)
            .pollInterval(LOCAL_BATCH_POLL)
            .retryDelay(LOCAL_BATCH_POLL)
            .deadlines(options.deadlines())
            .meters(management.meters());
    // Sluice keeps its own count against the limits the simulator's profile enforces
    Profile profile = simulator.config().profile();
    accounts.forEach(
        account ->
            settings.queueLimits(
                account.name(), ProfileLimits.batchQueue(profile, account.kind())));
    return settings.build();
  }

  /**
   * One part per provider: its client, its rate limiter when the profile has limits, and its worker
   * pool, stopped pool first. The providers share one rate-limit store in PostgreSQL.
   */
  private List<PartStart> workerPools(LocalOptions options) {
    List<PartStart> pools = new ArrayList<>();
    SharedLimits sharedLimits = null;
    for (String name : models.providers()) {
      Map<String, RateLimits> limits = ProfileLimits.of(simulator.config().profile(), models, name);
      if (!limits.isEmpty() && sharedLimits == null) {
        sharedLimits =
            track(
                "shared rate-limit store",
                new SharedLimits(postgres.jdbcUrl(), postgres.username(), postgres.password()));
      }
      SharedLimits store = limits.isEmpty() ? null : sharedLimits;
      OpenTelemetry poolTracing = tracing.forComponent("sluice-workers-" + name, lifecycle);
      pools.add(
          new PartStart(
              name + " workers", () -> workerPool(options, name, limits, store, poolTracing)));
    }
    return pools;
  }

  private Lifecycle workerPool(
      LocalOptions options,
      String name,
      Map<String, RateLimits> limits,
      SharedLimits store,
      OpenTelemetry openTelemetry) {
    Lifecycle pool = new Lifecycle(name + " workers");
    ProviderKind kind = ProviderKind.forProvider(name);
    Provider provider =
        pool.started(
            name + " provider client",
            new ProviderFactory()
                .realtime(ProviderConfig.of(name, kind, simulator.baseUrl(), SIMULATOR_KEY)));
    WorkerSettings settings =
        WorkerSettings.builder(kafka.bootstrapServers(), topicPrefix, name)
            .concurrency(options.workerConcurrency())
            .topics(6, (short) 1)
            .meters(management.meters())
            .openTelemetry(openTelemetry)
            .build();
    try {
      if (store == null) {
        pool.started(name + " worker pool", WorkerPool.start(settings, provider));
        return pool;
      }
      RateLimiter limiter = pool.started(name + " rate limiter", store.limiterFor(name, limits));
      pool.started(name + " worker pool", WorkerPool.start(settings, provider, limiter));
      LOG.info(
          "{} workers run within the limits of profile {}: {}",
          name,
          options.simulatorProfile().name(),
          limits.keySet());
      return pool;
    } catch (RuntimeException e) {
      pool.close();
      throw e;
    }
  }

  private <T extends AutoCloseable> T track(String name, T component) {
    return lifecycle.started(name, component);
  }

  private static Path createDirectories(Path dir) {
    try {
      return Files.createDirectories(dir.toAbsolutePath());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the data directory " + dir, e);
    }
  }

  public URI apiUrl() {
    return apiUrl;
  }

  public URI simulatorUrl() {
    return simulatorUrl;
  }

  /** The provider simulator (tests change its faults while the platform runs). */
  public Simulator simulator() {
    return simulator;
  }

  /** Where {@code /metrics}, {@code /health/live} and {@code /health/ready} answer. */
  public URI managementUrl() {
    return management.url();
  }

  /** The development tenant's API key, the same across restarts on one data directory. */
  public String devApiKey() {
    return devApiKey;
  }

  /** Stops every part, last started first (see the class comment). Idempotent. */
  @Override
  public void close() {
    lifecycle.close();
  }

  /** The ordered stop, for a command that closes it when asked to stop. */
  /**
   * Runs {@code action} when the dispatcher cannot process any more (see {@link
   * Dispatcher#onFatal}); {@code sluice local} then stops with a non-zero exit.
   */
  public void onDispatcherFatal(Consumer<Throwable> action) {
    dispatcher.onFatal(action);
  }

  public Lifecycle lifecycle() {
    return lifecycle;
  }
}
