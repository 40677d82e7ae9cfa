package io.sluice.launcher.serve;

import io.micrometer.core.instrument.MeterRegistry;
import io.opentelemetry.api.OpenTelemetry;
import io.sluice.batch.BatchSubmitter;
import io.sluice.batch.BatchSubmitterSettings;
import io.sluice.dispatcher.Dispatcher;
import io.sluice.dispatcher.DispatcherSettings;
import io.sluice.dispatcher.fairness.PacingSettings;
import io.sluice.egress.EgressRules;
import io.sluice.egress.HostResolver;
import io.sluice.fallback.ContextWindows;
import io.sluice.fallback.FallbackChains;
import io.sluice.jobapi.JobApi;
import io.sluice.jobapi.JobApiSettings;
import io.sluice.jobapi.bulk.BulkSettings;
import io.sluice.jobapi.cache.CacheSettings;
import io.sluice.jobapi.tenant.RequestLimit;
import io.sluice.jobapi.tenant.TenantSettings;
import io.sluice.jobapi.webhook.SecretCipher;
import io.sluice.jobapi.webhook.WebhookSettings;
import io.sluice.lane.DeadlinePolicy;
import io.sluice.launcher.limits.RateLimitSpec;
import io.sluice.launcher.limits.SharedLimits;
import io.sluice.launcher.management.Management;
import io.sluice.launcher.process.ProcessStop;
import io.sluice.launcher.reachability.ReachabilityWatch;
import io.sluice.launcher.tracing.ComponentTracing;
import io.sluice.lifecycle.Lifecycle;
import io.sluice.observability.Health;
import io.sluice.observability.HealthChecks;
import io.sluice.observability.ManagementServer;
import io.sluice.observability.Meters;
import io.sluice.providers.Provider;
import io.sluice.providers.ProviderConfig;
import io.sluice.providers.ProviderFactory;
import io.sluice.providers.ProviderKind;
import io.sluice.ratelimit.RateLimiter;
import io.sluice.ratelimit.RateLimits;
import io.sluice.schemas.model.ModelCatalog;
import io.sluice.schemas.topic.TopicCatalog;
import io.sluice.workers.WorkerPool;
import io.sluice.workers.WorkerSettings;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sluice serve <component>}: one component, configured from environment variables, as the
 * Helm chart runs it. Kafka and PostgreSQL are external; a {@link ReachabilityWatch} per server
 * logs one line when the component loses it and one when it is back. SIGTERM stops the parts in the
 * reverse order of their start ({@link Lifecycle}) and exits 0.
 */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description =
        "Runs one component: job-api, dispatcher, workers (with --provider) or batch-submitter.",
    footer = {
      "",
      "Environment:",
      "  SLUICE_KAFKA_BOOTSTRAP    Kafka bootstrap servers (all components; required)",
      "  SLUICE_TOPIC_PREFIX       topic prefix (default sluice)",
      "  SLUICE_JDBC_URL, SLUICE_JDBC_USER, SLUICE_JDBC_PASSWORD   PostgreSQL (job-api,",
      "                            batch-submitter)",
      "  SLUICE_HTTP_PORT          API port (job-api; default 8080)",
      "  SLUICE_MANAGEMENT_PORT    /metrics, /health/live and /health/ready (all components;",
      "                            default 9090)",
      "  SLUICE_METRICS_ENABLED    false: the components record no meters (/metrics serves",
      "                            only the JVM's); for measuring the instrumentation's cost",
      "  SLUICE_INSTANCE_ID        this job-api's stable, unique name (e.g. a StatefulSet pod's);",
      "                            restarted with it, it takes its job events back at once",
      "  SLUICE_TENANT_REQUESTS_PER_SECOND, SLUICE_TENANT_REQUEST_BURST   default request limit",
      "                            of a tenant, per job-api instance (job-api; unset: none; a",
      "                            tenant's own limit from `sluice admin tenants` wins)",
      "  SLUICE_API_KEY_CACHE_TTL  how long a job-api instance trusts what it read about an API",
      "                            key: a revoked key is refused within it (default 2s, max 60s)",
      "  SLUICE_CACHE              false: no result cache (job-api; default true, docs/cache.md)",
      "  SLUICE_CACHE_TTL          how long a cached answer is kept for tenants without their own",
      "                            TTL (job-api; default 24h)",
      "  SLUICE_WEBHOOK_SECRET_KEY base64 of 32 random bytes that encrypts webhook signing secrets",
      "                            in the database (job-api; unset: webhooks off; never logged)",
      "  SLUICE_WEBHOOK_ALLOW_PLAIN_HTTP  true: webhooks may use http:// (job-api; default false)",
      "  SLUICE_WEBHOOK_ALLOW_LIST CIDRs and host names webhooks may reach although private",
      "                            (job-api; comma-separated, e.g. 10.1.0.0/16,hooks.internal)",
      "  SLUICE_WEBHOOK_SENDER     false: this job-api instance does not send webhooks (default true)",
      "  SLUICE_WEBHOOK_RETENTION  how long finished webhook deliveries and their attempts are kept",
      "                            (job-api; default 30d)",
      "  SLUICE_BULK_MAX_FILE_BYTES  the largest file upload (job-api; default 536870912, 512 MiB)",
      "  SLUICE_BULK_MAX_LINES     the most lines (requests) a batch may have (job-api; 1000000)",
      "  SLUICE_STATE_DIR          state store directory (dispatcher; default /var/lib/sluice)",
      "  SLUICE_DEADLINE_BATCH_WINDOW   a provider batch may take this long (default 24h); auto",
      "  SLUICE_DEADLINE_BATCH_MARGIN   jobs go to a batch only if their deadline leaves window +",
      "                                 margin (default 1h) (dispatcher)",
      "  SLUICE_DEADLINE_REALTIME_LEAD  a deferred task unfinished this long before its deadline",
      "                                 moves to a realtime lane (default 1h) (dispatcher,",
      "                                 batch-submitter)",
      "  SLUICE_EXPIRY_CHECK_INTERVAL   how often jobs past their deadline are expired (dispatcher;",
      "                                 default 1s)",
      "  SLUICE_FALLBACK           fallback chains, model=next,next;model=next (dispatcher;",
      "                            default none; docs/fallback.md)",
      "  SLUICE_CONTEXT_WINDOWS    model=tokens,... : where a prompt too long for a model may",
      "                            fall back (dispatcher; default none)",
      "  SLUICE_WORKER_CONCURRENCY tasks in flight (workers; default 16)",
      "  SLUICE_WORKER_RECORDS_PER_POLL  the most records a consumer takes at a time (workers;",
      "                            default min(concurrency, 8)); 1 for an account that admits a",
      "                            few calls a second, so that records wait in Kafka, not in a pod",
      "  SLUICE_TENANT_WEIGHTS     fair-share weights, e.g. acme=3,beta=2; others weigh 1",
      "                            (dispatcher and workers; docs/fairness.md)",
      "  SLUICE_PACED_LANES        lanes paced between tenants: bulk (default), standard,bulk,",
      "                            none (dispatcher; docs/fairness.md)",
      "  SLUICE_PACING_WINDOW      paced tasks of one provider and lane in flight per partition",
      "                            of task-results (dispatcher; default 32)",
      "  SLUICE_PACING_RELEASE_TIMEOUT  a paced task without result stops counting (default 10m)",
      "  SLUICE_BULK_MIN_SHARE     bulk's least share of a pool's recent starts (workers; 0.1)",
      "  SLUICE_RATE_LIMITS        per-model limits shared by all workers of the provider (workers),",
      "                            e.g. gpt-4o-mini=500rpm,200000tpm;claude-sonnet-4-5=50rpm,30000itpm,8000otpm;",
      "                            needs SLUICE_JDBC_URL (the shared limiter state lives in PostgreSQL)",
      "  SLUICE_PROVIDER_<NAME>_KIND      openai | anthropic | gemini | openai-compatible",
      "  SLUICE_PROVIDER_<NAME>_BASE_URL  API root (default: the provider's public API)",
      "  SLUICE_PROVIDER_<NAME>_API_KEY   the provider key (never logged)",
      "  batch-submitter: serves the deferred lane of every SLUICE_PROVIDER_<NAME>_* account whose",
      "  kind has a batch API (openai, anthropic); durations as 500ms, 30s, 5m, 2h or ISO-8601:",
      "  SLUICE_BATCH_LINGER         the oldest pending item waits at most this long (default 5m)",
      "  SLUICE_BATCH_POLL_INTERVAL  how often a provider batch's status is read (default 30s)",
      "  SLUICE_BATCH_RETRY_DELAY    wait before a failed line is resubmitted (default 30s)",
      "  SLUICE_BATCH_MAX_ATTEMPTS   provider batches one task may be in (default 3)",
      "  SLUICE_BATCH_DEADLINE_LEAD  an item due sooner than this is flushed at once (default 25h)",
      "  SLUICE_BATCH_QUEUE_LIMITS   the accounts' batch queue limits, e.g.",
      "                              openai.tokens.gpt-4o=90000,openai.creations-per-hour=2000,",
      "                              anthropic.requests=100000 (default: tier 1; or unlimited)",
      "  SLUICE_BATCH_REFUSAL_BACKOFF  wait after a provider refused a batch for room (default 1m)",
      "Tracing (off unless an endpoint is set; job-api, dispatcher, workers):",
      "  OTEL_EXPORTER_OTLP_ENDPOINT  OTLP/HTTP collector, e.g. http://otel-collector:4318",
      "  OTEL_SERVICE_NAME          default sluice-<component> (workers: sluice-workers-<provider>)",
      "  OTEL_*                     the other standard OpenTelemetry SDK variables (headers,",
      "                             sampler, resource attributes); OTEL_SDK_DISABLED=true: off"
    })
public final class ServeCommand implements Callable<Integer> {
  private static final Logger LOG = LoggerFactory.getLogger(ServeCommand.class);

  private static final Pattern PROVIDER_VARIABLE =
      Pattern.compile("SLUICE_PROVIDER_([A-Z0-9_]+?)_(KIND|BASE_URL|API_KEY)");

  @Parameters(description = "job-api, dispatcher, workers or batch-submitter")
  String component;

  @Option(names = "--provider", description = "The provider whose lanes a workers process serves.")
  String provider;

  private final Map<String, String> variables;
  private Management management;
  private ComponentTracing tracing;

  public ServeCommand() {
    this(System.getenv());
  }

  ServeCommand(Map<String, String> variables) {
    this.variables = variables;
  }

  @Override
  public Integer call() throws InterruptedException {
    Environment env = new Environment(variables);
    ProcessStop stop = ProcessStop.onSignals();
    Lifecycle lifecycle = new Lifecycle("sluice serve " + component).closeOnShutdown();
    try {
      start(env, lifecycle, stop);
    } catch (RuntimeException e) {
      lifecycle.close();
      throw e;
    }
    return stop.awaitThenClose(lifecycle);
  }

  private void start(Environment env, Lifecycle lifecycle, ProcessStop stop) {
    int port = env.integer("SLUICE_MANAGEMENT_PORT", ManagementServer.DEFAULT_PORT);
    boolean metrics = env.bool(Management.METRICS_ENABLED, true);
    management = lifecycle.started("management endpoint", Management.serve(port, metrics));
    tracing = ComponentTracing.fromEnvironment(variables);
    HealthChecks.Started started = management.readiness().pending(componentName());
    switch (component) {
      case "job-api" -> startJobApi(env, lifecycle);
      case "dispatcher" -> startDispatcher(env, lifecycle, stop);
      case "workers" -> startWorkers(env, lifecycle);
      case "batch-submitter" -> startBatchSubmitter(env, lifecycle);
      default ->
          throw new IllegalArgumentException(
              "unknown component '"
                  + component
                  + "': use job-api, dispatcher, workers or batch-submitter");
    }
    started.started();
    lifecycle.started("stop signal", management.stopSignal());
  }

  private void startJobApi(Environment env, Lifecycle lifecycle) {
    JobApiSettings settings =
        jobApiSettings(env).toBuilder()
            .meters(management.meters())
            .openTelemetry(tracing.forComponent("sluice-job-api", lifecycle))
            .build();
    watchKafka(lifecycle, settings.kafkaBootstrap());
    watchPostgres(lifecycle, settings.jdbcUrl(), settings.dbUser(), settings.dbPassword());
    lifecycle.started("job-api", JobApi.start(settings));
  }

  private void startDispatcher(Environment env, Lifecycle lifecycle, ProcessStop stop) {
    DispatcherSettings settings =
        dispatcherSettings(
            env, management.meters(), tracing.forComponent("sluice-dispatcher", lifecycle));
    watchKafka(lifecycle, settings.bootstrapServers());
    Dispatcher dispatcher = lifecycle.started("dispatcher", Dispatcher.start(settings));
    management
        .readiness()
        .add(
            "dispatcher streams",
            () -> Health.when(dispatcher.isRunning(), "Kafka Streams is not running"));
    HealthChecks.Started processing = management.liveness().pending("dispatcher streams");
    processing.started();
    dispatcher.onFatal(reason -> processing.stopped());
    // A dispatcher that cannot process ends the process non-zero (after an ordered stop), so that
    // the orchestrator restarts it instead of leaving it up idle.
    dispatcher.onFatal(
        reason ->
            stop.fail("dispatcher cannot process (" + reason.getClass().getSimpleName() + ")"));
  }

  private void startBatchSubmitter(Environment env, Lifecycle lifecycle) {
    BatchSubmitterSettings settings = batchSubmitterSettings(env, management.meters());
    LOG.info(
        "batch-submitter serves the deferred lanes of {}",
        settings.providers().stream().map(ProviderConfig::name).toList());
    watchKafka(lifecycle, settings.bootstrapServers());
    watchPostgres(
        lifecycle, settings.jdbc().url(), settings.jdbc().username(), settings.jdbc().password());
    lifecycle.started("batch-submitter", BatchSubmitter.start(settings));
  }

  private void watchKafka(Lifecycle lifecycle, String bootstrap) {
    ReachabilityWatch watch =
        lifecycle.started("Kafka watch", ReachabilityWatch.kafka(componentName(), bootstrap));
    management.requireReachable("kafka", watch, "Kafka at " + bootstrap);
  }

  private void watchPostgres(Lifecycle lifecycle, String jdbcUrl, String user, String password) {
    ReachabilityWatch watch =
        lifecycle.started(
            "PostgreSQL watch",
            ReachabilityWatch.postgres(componentName(), jdbcUrl, user, password));
    management.requireReachable("postgresql", watch, "PostgreSQL");
  }

  private String componentName() {
    return provider == null ? component : component + " " + provider;
  }

  /**
   * The largest request body job-api takes unless {@code SLUICE_MAX_BODY_BYTES} says otherwise (and
   * what {@code sluice local} takes): room for a map-reduce job's document inline (up to 10 MB of
   * text, escaped in JSON). File uploads stream and have their own limit.
   */
  public static final long MAX_BODY_BYTES = 16L * 1024 * 1024;

  static JobApiSettings jobApiSettings(Environment env) {
    JobApiSettings.Builder builder =
        JobApiSettings.builder()
            .kafkaBootstrap(env.required("SLUICE_KAFKA_BOOTSTRAP"))
            .topicPrefix(env.optional("SLUICE_TOPIC_PREFIX", "sluice"))
            .jdbcUrl(env.required("SLUICE_JDBC_URL"))
            .dbUser(env.optional("SLUICE_JDBC_USER", "sluice"))
            .dbPassword(env.optional("SLUICE_JDBC_PASSWORD", ""))
            .httpPort(env.integer("SLUICE_HTTP_PORT", 8080))
            .maxBodyBytes(
                env.parsed(
                    "SLUICE_MAX_BODY_BYTES",
                    MAX_BODY_BYTES,
                    Long::parseLong,
                    "a number of bytes (1024 to 104857600)"))
            .bulk(bulkSettings(env))
            .eventsConsumerInstanceId(env.optional("SLUICE_INSTANCE_ID", null))
            .models(ModelCatalog.defaults())
            .webhooks(webhookSettings(env))
            .tenants(tenantSettings(env))
            .cache(cacheSettings(env));
    env.check();
    return builder.build();
  }

  /**
   * The Files and Batches API's limits: the largest upload (SLUICE_BULK_MAX_FILE_BYTES, default 512
   * MiB) and the most lines a batch may have (SLUICE_BULK_MAX_LINES, default 1,000,000). {@code
   * sluice local} reads the same variables. Out-of-range values fail the start naming the setting.
   */
  public static BulkSettings bulkSettings(Environment env) {
    return BulkSettings.defaults()
        .withMaxFileBytes(
            env.parsed(
                "SLUICE_BULK_MAX_FILE_BYTES",
                BulkSettings.DEFAULT_MAX_FILE_BYTES,
                text -> within(Long.parseLong(text), 1024, 8L * 1024 * 1024 * 1024),
                "a number of bytes from 1024 to 8589934592"))
        .withMaxLines(
            env.parsed(
                "SLUICE_BULK_MAX_LINES",
                BulkSettings.DEFAULT_MAX_LINES,
                text -> (int) within(Integer.parseInt(text), 1, Integer.MAX_VALUE),
                "a number of lines, at least 1"));
  }

  private static long within(long value, long min, long max) {
    if (value < min || value > max) {
      throw new IllegalArgumentException(value + " is out of range");
    }
    return value;
  }

  /**
   * The result cache (SLUICE_CACHE, default on) and how long it keeps an answer for tenants without
   * their own TTL (SLUICE_CACHE_TTL, default 24h).
   */
  static CacheSettings cacheSettings(Environment env) {
    boolean on = env.bool("SLUICE_CACHE", true);
    Duration ttl = env.duration("SLUICE_CACHE_TTL", CacheSettings.DEFAULT_TTL);
    if (ttl.isNegative()) {
      env.problem("SLUICE_CACHE_TTL must not be negative, got '" + ttl + "'");
      ttl = CacheSettings.DEFAULT_TTL;
    }
    return CacheSettings.defaults().withEnabled(on).withDefaultTtl(ttl);
  }

  /**
   * The default request limit of tenants without their own (SLUICE_TENANT_REQUESTS_PER_SECOND and
   * _REQUEST_BURST; unset: not limited) and how long an instance trusts what it read about a key
   * (SLUICE_API_KEY_CACHE_TTL).
   */
  static TenantSettings tenantSettings(Environment env) {
    double perSecond =
        env.parsed("SLUICE_TENANT_REQUESTS_PER_SECOND", 0.0, Double::parseDouble, "a number");
    int burst = env.integer("SLUICE_TENANT_REQUEST_BURST", 0);
    Duration ttl = env.duration("SLUICE_API_KEY_CACHE_TTL", TenantSettings.DEFAULT_KEY_CACHE_TTL);
    TenantSettings settings = TenantSettings.defaults().withKeyCacheTtl(ttl);
    if (!settings.problems().isEmpty()) {
      env.problem("SLUICE_API_KEY_CACHE_TTL must be 0 to 60 seconds, got '" + ttl + "'");
      settings = TenantSettings.defaults();
    }
    if (perSecond == 0 && burst == 0) {
      return settings;
    }
    try {
      return settings.withDefaultRequestLimit(
          burst == 0 ? RequestLimit.of(perSecond) : new RequestLimit(perSecond, burst));
    } catch (IllegalArgumentException e) {
      env.problem("SLUICE_TENANT_REQUESTS_PER_SECOND / _REQUEST_BURST: " + e.getMessage());
      return settings;
    }
  }

  /**
   * Webhooks (SLUICE_WEBHOOK_*): on when a secret key is set; public HTTPS destinations only unless
   * the operator allows plain HTTP or lists CIDRs and host names that may be reached.
   */
  static WebhookSettings webhookSettings(Environment env) {
    String key = env.optional("SLUICE_WEBHOOK_SECRET_KEY", null);
    boolean plainHttp = env.bool("SLUICE_WEBHOOK_ALLOW_PLAIN_HTTP", false);
    String allowList = env.optional("SLUICE_WEBHOOK_ALLOW_LIST", "");
    boolean sender = env.bool("SLUICE_WEBHOOK_SENDER", true);
    Duration retention =
        env.duration("SLUICE_WEBHOOK_RETENTION", WebhookSettings.DEFAULT_RETENTION);
    WebhookSettings settings =
        WebhookSettings.defaults().withSenderEnabled(sender).withRetention(retention);
    if (key != null && !SecretCipher.isKey(key)) {
      env.problem(
          "SLUICE_WEBHOOK_SECRET_KEY must be the base64 of 32 random bytes"
              + " (for example the output of `openssl rand -base64 32`)");
    } else if (key != null) {
      settings = settings.withSecretKey(key);
    }
    try {
      List<String> entries =
          Arrays.stream(allowList.split(",")).map(String::strip).filter(e -> !e.isEmpty()).toList();
      return settings.withEgress(new EgressRules(plainHttp, entries), HostResolver.system());
    } catch (IllegalArgumentException e) {
      env.problem("SLUICE_WEBHOOK_ALLOW_LIST: " + e.getMessage());
      return settings;
    }
  }

  static DispatcherSettings dispatcherSettings(Environment env) {
    return dispatcherSettings(env, Meters.none());
  }

  static DispatcherSettings dispatcherSettings(Environment env, MeterRegistry meters) {
    return dispatcherSettings(env, meters, OpenTelemetry.noop());
  }

  static DispatcherSettings dispatcherSettings(
      Environment env, MeterRegistry meters, OpenTelemetry openTelemetry) {
    String bootstrap = env.required("SLUICE_KAFKA_BOOTSTRAP");
    Path stateDir =
        Path.of(env.optional("SLUICE_STATE_DIR", "/var/lib/sluice")).resolve("dispatcher");
    String prefix = env.optional("SLUICE_TOPIC_PREFIX", "sluice");
    DeadlinePolicy deadlines = deadlinePolicy(env);
    Duration expiryCheck =
        env.duration(
            "SLUICE_EXPIRY_CHECK_INTERVAL", DispatcherSettings.DEFAULT_EXPIRY_CHECK_INTERVAL);
    FallbackChains chains = FallbackChains.NONE;
    Map<String, Long> windows = Map.of();
    try {
      chains =
          FallbackChains.parse(
              env.optional(FallbackChains.ENVIRONMENT_VARIABLE, ""), ModelCatalog.defaults());
      windows = ContextWindows.parse(env.optional(ContextWindows.ENVIRONMENT_VARIABLE, ""));
    } catch (IllegalArgumentException e) {
      env.problem(e.getMessage());
    }
    PacingSettings pacing = FairShareEnvironment.pacing(env);
    env.check();
    return DispatcherSettings.builder(bootstrap, stateDir)
        .topicPrefix(prefix)
        .deadlines(deadlines)
        .fallback(chains, windows)
        .expiryCheckInterval(expiryCheck)
        .pacing(pacing)
        .meters(meters)
        .openTelemetry(openTelemetry)
        .batchProviders(ProviderKind.withBatchApi(ModelCatalog.defaults().providers()))
        .build();
  }

  /**
   * What deadlines mean (SLUICE_DEADLINE_*): the dispatcher routes {@code auto} jobs and expires
   * jobs by it, the batch-submitter moves deferred tasks to a realtime lane by it; both must read
   * the same values.
   */
  static DeadlinePolicy deadlinePolicy(Environment env) {
    DeadlinePolicy defaults = DeadlinePolicy.DEFAULT;
    Duration window = env.duration("SLUICE_DEADLINE_BATCH_WINDOW", defaults.batchWindow());
    Duration margin = env.duration("SLUICE_DEADLINE_BATCH_MARGIN", defaults.batchMargin());
    Duration lead = env.duration("SLUICE_DEADLINE_REALTIME_LEAD", defaults.realtimeLead());
    try {
      return new DeadlinePolicy(window, margin, lead);
    } catch (IllegalArgumentException e) {
      env.problem("SLUICE_DEADLINE_*: " + e.getMessage());
      return defaults;
    }
  }

  static BatchSubmitterSettings batchSubmitterSettings(Environment env) {
    return batchSubmitterSettings(env, Meters.none());
  }

  static BatchSubmitterSettings batchSubmitterSettings(Environment env, MeterRegistry meters) {
    String bootstrap = env.required("SLUICE_KAFKA_BOOTSTRAP");
    String prefix = env.optional("SLUICE_TOPIC_PREFIX", "sluice");
    String jdbcUrl = env.required("SLUICE_JDBC_URL");
    String user = env.optional("SLUICE_JDBC_USER", "sluice");
    String password = env.optional("SLUICE_JDBC_PASSWORD", "");
    Duration linger = env.duration("SLUICE_BATCH_LINGER", BatchSubmitterSettings.DEFAULT_LINGER);
    Duration pollInterval =
        env.duration("SLUICE_BATCH_POLL_INTERVAL", BatchSubmitterSettings.DEFAULT_POLL_INTERVAL);
    Duration retryDelay =
        env.duration("SLUICE_BATCH_RETRY_DELAY", BatchSubmitterSettings.DEFAULT_RETRY_DELAY);
    Duration deadlineLead =
        env.duration("SLUICE_BATCH_DEADLINE_LEAD", BatchSubmitterSettings.DEFAULT_DEADLINE_LEAD);
    int maxAttempts =
        env.integer("SLUICE_BATCH_MAX_ATTEMPTS", BatchSubmitterSettings.DEFAULT_MAX_ATTEMPTS);
    Duration refusalBackoff =
        env.duration(
            "SLUICE_BATCH_REFUSAL_BACKOFF", BatchSubmitterSettings.DEFAULT_REFUSAL_BACKOFF);
    String queueLimits = env.optional("SLUICE_BATCH_QUEUE_LIMITS", "");
    DeadlinePolicy deadlines = deadlinePolicy(env);
    List<ProviderConfig> accounts = batchAccounts(env);
    env.check();
    try {
      return BatchSubmitterSettings.builder(
              bootstrap, BatchSubmitterSettings.Jdbc.of(jdbcUrl, user, password), accounts)
          .topics(new TopicCatalog(prefix))
          .groupId(prefix + "-batch-submitter")
          .linger(linger)
          .pollInterval(pollInterval)
          .retryDelay(retryDelay)
          .deadlineLead(deadlineLead)
          .maxAttempts(maxAttempts)
          .refusalBackoff(refusalBackoff)
          .queueLimits(queueLimits)
          .deadlines(deadlines)
          .meters(meters)
          .build();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("bad configuration: " + e.getMessage(), e);
    }
  }

  /**
   * The provider accounts named by {@code SLUICE_PROVIDER_<NAME>_*} variables whose kind has a
   * batch API; accounts of other kinds are skipped.
   */
  static List<ProviderConfig> batchAccounts(Environment env) {
    List<ProviderConfig> accounts = new ArrayList<>();
    for (String name : env.names(PROVIDER_VARIABLE)) {
      ProviderConfig config = providerConfig(env, name.toLowerCase(Locale.ROOT).replace('_', '-'));
      if (config.kind().hasBatchApi()) {
        accounts.add(config);
      } else {
        LOG.info("provider {} ({}) has no batch API: skipped", config.name(), config.kind());
      }
    }
    if (accounts.isEmpty()) {
      env.problem(
          "batch-submitter needs a provider account with a batch API: set"
              + " SLUICE_PROVIDER_<NAME>_API_KEY (and _KIND, _BASE_URL) for openai or anthropic");
    }
    return accounts;
  }

  private void startWorkers(Environment env, Lifecycle lifecycle) {
    if (provider == null) {
      throw new IllegalArgumentException(
          "serve workers needs --provider NAME, e.g. --provider openai");
    }
    WorkerSettings.Builder pool = workerSettings(env, provider);
    Map<String, RateLimits> limits =
        env.parsed("SLUICE_RATE_LIMITS", Map.of(), RateLimitSpec::parse, "a list of model=limits");
    String jdbcUrl = limits.isEmpty() ? null : env.required("SLUICE_JDBC_URL");
    ProviderConfig config = providerConfig(env, provider);
    env.check();
    watchKafka(lifecycle, env.required("SLUICE_KAFKA_BOOTSTRAP"));
    Provider client =
        lifecycle.started(provider + " provider client", new ProviderFactory().realtime(config));
    WorkerSettings settings =
        pool.meters(management.meters())
            .openTelemetry(tracing.forComponent("sluice-workers-" + provider, lifecycle))
            .build();
    if (limits.isEmpty()) {
      LOG.warn("no SLUICE_RATE_LIMITS for {}: its calls are not rate limited by Sluice", provider);
      lifecycle.started("workers", WorkerPool.start(settings, client));
      return;
    }
    String user = env.optional("SLUICE_JDBC_USER", "sluice");
    String password = env.optional("SLUICE_JDBC_PASSWORD", "");
    watchPostgres(lifecycle, jdbcUrl, user, password);
    SharedLimits shared =
        lifecycle.started("shared rate-limit store", new SharedLimits(jdbcUrl, user, password));
    RateLimiter limiter = lifecycle.started("rate limiter", shared.limiterFor(provider, limits));
    lifecycle.started("workers", WorkerPool.start(settings, client, limiter));
  }

  /**
   * A workers pool of {@code provider} as the environment sizes it: {@code SLUICE_KAFKA_BOOTSTRAP},
   * {@code SLUICE_TOPIC_PREFIX}, {@code SLUICE_WORKER_CONCURRENCY}, {@code
   * SLUICE_WORKER_RECORDS_PER_POLL} (unset: the pool's default) and the lane shares. Bad values are
   * recorded in {@code env}, to fail its {@link Environment#check()} naming the variable.
   */
  static WorkerSettings.Builder workerSettings(Environment env, String provider) {
    WorkerSettings.Builder pool =
        WorkerSettings.builder(
                env.required("SLUICE_KAFKA_BOOTSTRAP"),
                env.optional("SLUICE_TOPIC_PREFIX", "sluice"),
                provider)
            .concurrency(env.integer("SLUICE_WORKER_CONCURRENCY", 16, 1, 1024))
            .laneShares(FairShareEnvironment.laneShares(env));
    Integer recordsPerPoll = env.integer("SLUICE_WORKER_RECORDS_PER_POLL", null, 1, 500);
    if (recordsPerPoll != null) {
      pool.recordsPerPoll(recordsPerPoll);
    }
    return pool;
  }

  static ProviderConfig providerConfig(Environment env, String name) {
    String key = "SLUICE_PROVIDER_" + name.toUpperCase(Locale.ROOT).replace('-', '_');
    ProviderKind kind =
        env.parsed(
            key + "_KIND",
            ProviderKind.forProvider(name),
            ProviderKind::fromConfigName,
            ProviderKind.configNames());
    URI baseUrl = env.parsed(key + "_BASE_URL", null, URI::create, "a URL");
    String apiKey = env.optional(key + "_API_KEY", null);
    env.check();
    return ProviderConfig.of(name, kind, baseUrl, apiKey);
  }
}
