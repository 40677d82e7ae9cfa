package io.sluice.jobapi;

import com.zaxxer.hikari.HikariDataSource;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.sluice.jobapi.budget.BudgetAdmin;
import io.sluice.jobapi.budget.Budgets;
import io.sluice.jobapi.bulk.BulkIds;
import io.sluice.jobapi.bulk.batches.BatchEndedListener;
import io.sluice.jobapi.bulk.batches.Batches;
import io.sluice.jobapi.bulk.batches.BulkBatches;
import io.sluice.jobapi.bulk.files.BulkFiles;
import io.sluice.jobapi.bulk.files.Files;
import io.sluice.jobapi.cache.ResultCache;
import io.sluice.jobapi.dashboard.Dashboard;
import io.sluice.jobapi.events.JobEventsConsumer;
import io.sluice.jobapi.http.HttpMetrics;
import io.sluice.jobapi.http.HttpTracing;
import io.sluice.jobapi.http.InFlightRequests;
import io.sluice.jobapi.http.JobApiBeans;
import io.sluice.jobapi.idempotency.Idempotency;
import io.sluice.jobapi.job.IntakeControls;
import io.sluice.jobapi.job.JobBudget;
import io.sluice.jobapi.job.JobCancels;
import io.sluice.jobapi.job.JobEstimator;
import io.sluice.jobapi.job.JobIds;
import io.sluice.jobapi.job.JobListeners;
import io.sluice.jobapi.job.JobLookup;
import io.sluice.jobapi.job.JobRequestParser;
import io.sluice.jobapi.job.JobSubmissions;
import io.sluice.jobapi.job.JobUpdatedListener;
import io.sluice.jobapi.job.Jobs;
import io.sluice.jobapi.kafka.KafkaClients;
import io.sluice.jobapi.mapreduce.CatalogPrices;
import io.sluice.jobapi.mapreduce.MapReducePlanner;
import io.sluice.jobapi.mapreduce.MapReduceSettings;
import io.sluice.jobapi.outbox.Outbox;
import io.sluice.jobapi.store.DataSources;
import io.sluice.jobapi.store.Database;
import io.sluice.jobapi.store.GroupCommit;
import io.sluice.jobapi.store.Migrations;
import io.sluice.jobapi.tenant.TenantAdmin;
import io.sluice.jobapi.tenant.Tenants;
import io.sluice.jobapi.usage.Usage;
import io.sluice.jobapi.watch.JobWaits;
import io.sluice.jobapi.watch.WatchParts;
import io.sluice.jobapi.watch.Watches;
import io.sluice.jobapi.webhook.WebhookParts;
import io.sluice.jobapi.webhook.Webhooks;
import io.sluice.lifecycle.BackgroundLoop;
import io.sluice.schemas.topic.TopicCatalog;
import io.sluice.schemas.topic.TopicProvisioner;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running job-api: the HTTP server, the outbox relay, the job events consumer and the webhook
 * sender, on one PostgreSQL database and one Kafka cluster.
 *
 * <pre>{@code
 * try (JobApi api = JobApi.start(JobApiSettings.builder()
 *     .jdbcUrl(url).dbUser(user).dbPassword(password)
 *     .kafkaBootstrap(bootstrap).build())) {
 *   Tenant tenant = api.admin().ensureTenant("local");
 *   api.admin().registerKey(tenant.id(), devKey);
 *   // POST api.url().resolve("/v1/jobs") with "Authorization: Bearer " + devKey
 * }
 * }</pre>
 */
public final class JobApi implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(JobApi.class);
  private static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(5);

  private final JobApiSettings settings;
  private final URI url;
  private final TenantAdmin admin;
  private final BudgetAdmin budgets;
  private final JobWaits waits;
  private final Deque<AutoCloseable> resources;

  private JobApi(
      JobApiSettings settings,
      URI url,
      TenantAdmin admin,
      BudgetAdmin budgets,
      JobWaits waits,
      Deque<AutoCloseable> resources) {
    this.settings = settings;
    this.url = url;
    this.admin = admin;
    this.budgets = budgets;
    this.waits = waits;
    this.resources = resources;
  }

  /**
   * Migrates the database, creates missing topics, and starts serving.
   *
   * @throws JobApiStartException when PostgreSQL, Kafka or the port cannot be used
   */
  public static JobApi start(JobApiSettings settings) {
    Deque<AutoCloseable> resources = new ArrayDeque<>();
    try {
      return startWith(settings, resources);
    } catch (RuntimeException e) {
      closeAll(resources);
      throw e;
    }
  }

  // The composition root: the one place that builds each feature from the public parts of the
  // others (store, kafka, tenant, idempotency, outbox, job, events, http).
  private static JobApi startWith(JobApiSettings settings, Deque<AutoCloseable> resources) {
    HikariDataSource dataSource = connect(settings);
    resources.push(dataSource);
    Migrations.migrate(dataSource);
    TopicCatalog topics = settings.topics();
    provisionTopics(settings, topics);
    KafkaProducer<String, String> producer =
        KafkaClients.producer(settings.kafkaBootstrap(), settings.kafkaClientId());
    resources.push(producer);

    Database database = new Database(dataSource);
    JobMetrics metrics = new JobMetrics(settings.meters());
    resources.push(JobMetrics.outboxBacklog(settings.meters(), database));
    SecureRandom random = new SecureRandom();
    WebhookParts webhooks = Webhooks.on(database, settings.webhooks(), random, settings.clock());
    resources.push(webhooks);
    BackgroundLoop relay = Outbox.relayLoop(database, producer, settings.outboxPollInterval());
    Budgets.Parts budgets =
        Budgets.on(database, settings.clock(), settings.tenants().keyCacheTtl());
    JobEstimator estimator = new JobEstimator(settings.models(), CatalogPrices.registered());
    JobLookup lookup = Jobs.lookup(database);
    WatchParts watches =
        Watches.on(settings.jdbcUrl(), settings.dbUser(), settings.dbPassword(), lookup);
    resources.push(watches);
    ResultCache cache =
        ResultCache.on(database, settings.cache(), settings.models(), settings.clock());
    cache.purgeLoop().ifPresent(loop -> resources.push(loop.start()));
    // Who hears of a job's changes: the same for a result that comes in as job events and for an
    // answer the intake takes from the cache.
    JobListeners listeners =
        new JobListeners(
            metrics.counting(webhooks.finishedListener()),
            watches.changedListener(),
            JobUpdatedListener.all(
                Usage.ledger(settings.clock()),
                budgets.reconciler(),
                cache.keeper(),
                metrics.cacheSavings()));
    JobSubmissions intake =
        metrics.counting(
            Jobs.intake(
                database,
                Outbox.writer(),
                Idempotency.keys(),
                new JobRequestParser(
                    settings.models(),
                    settings.clock(),
                    webhooks.urlCheck(),
                    MapReduceSettings.DEFAULTS),
                new JobIds(settings.clock(), random),
                topics.jobsSubmitted(),
                settings.idempotencyRetention(),
                settings.outboxRelayEnabled() ? relay::wake : () -> {},
                settings.clock(),
                GroupCommit.Settings.DEFAULT,
                new MapReducePlanner(
                    settings.models(), MapReduceSettings.DEFAULTS, CatalogPrices.registered()),
                new IntakeControls(
                    estimator, budgets.intake(), metrics.counting(cache.answers()), listeners)));
    resources.push(intake);
    JobCancels cancels =
        Jobs.cancels(
            database,
            Outbox.writer(),
            topics.jobsControl(),
            settings.outboxRelayEnabled() ? relay::wake : () -> {},
            settings.clock());
    BulkParts bulk =
        bulk(
            settings,
            database,
            topics,
            cancels,
            random,
            relay,
            webhooks.batchEndedListener(),
            estimator,
            budgets.intake());
    resources.push(bulk.progress().start());
    resources.push(bulk.intake().start());
    if (settings.outboxRelayEnabled()) {
      resources.push(relay.start());
    }
    if (!settings.idempotencyPurgeInterval().isZero()) {
      resources.push(
          Idempotency.purgeLoop(database, settings.clock(), settings.idempotencyPurgeInterval())
              .start());
    }
    if (settings.eventsConsumerEnabled()) {
      resources.push(
          new JobEventsConsumer(
                  KafkaClients.consumer(
                      settings.kafkaBootstrap(),
                      settings.eventsConsumerGroup(),
                      settings.kafkaClientId(),
                      settings.eventsConsumerInstanceId()),
                  producer,
                  topics.jobsEvents(),
                  topics.deadLetters(),
                  Jobs.projector(database, listeners, settings.clock()),
                  settings.clock())
              .start());
    }
    webhooks.startSender();
    Tenants.Parts tenants = Tenants.on(database, settings.tenants(), random, settings.clock());
    Dashboard dashboard =
        new Dashboard(
            database,
            dataSource,
            settings.kafkaBootstrap(),
            settings.kafkaClientId(),
            topics,
            settings.models().providers().stream().sorted().toList(),
            settings.clock());
    resources.push(dashboard);
    EmbeddedServer server =
        serve(
            settings,
            resources,
            tenants.authenticator(),
            intake,
            lookup,
            cancels,
            watches.waits(),
            webhooks.endpoints(),
            webhooks.deliveries(),
            bulk.files(),
            bulk.batches(),
            Usage.reports(database, settings.clock()),
            dashboard,
            new HttpMetrics(settings.meters()),
            new HttpTracing(settings.openTelemetry()));
    URI url = URI.create("http://" + reachableHost(settings.httpHost()) + ":" + server.getPort());
    LOG.info("job-api listening on {} ({})", url, settings);
    return new JobApi(settings, url, tenants.admin(), budgets.admin(), watches.waits(), resources);
  }

  /**
   * The Files and Batches API: its files, its batches, the loop that takes in new batches' files
   * and the loop that ends batches.
   */
  private record BulkParts(
      BulkFiles files, BulkBatches batches, BackgroundLoop intake, BackgroundLoop progress) {}

  private static BulkParts bulk(
      JobApiSettings settings,
      Database database,
      TopicCatalog topics,
      JobCancels cancels,
      SecureRandom random,
      BackgroundLoop relay,
      BatchEndedListener ended,
      JobEstimator estimator,
      JobBudget budget) {
    BulkIds ids = new BulkIds(settings.clock(), random);
    Batches batches =
        Batches.on(database, Jobs.batchJobs(database, Outbox.writer(), topics.jobsSubmitted()));
    BulkFiles files =
        Files.on(
            database, ids, settings.bulk().maxFileBytes(), batches.resultFiles(), settings.clock());
    BackgroundLoop progress =
        batches.progressLoop(settings.bulk(), cancels, files, ids, ended, settings.clock());
    Batches.Api api =
        batches.batches(
            settings.bulk(),
            files,
            new JobRequestParser(settings.models(), settings.clock()),
            ids,
            new JobIds(settings.clock(), random),
            settings.outboxRelayEnabled() ? relay::wake : () -> {},
            progress::wake,
            ended,
            settings.clock(),
            estimator,
            budget);
    return new BulkParts(files, api.batches(), api.intake(), progress);
  }

  private static HikariDataSource connect(JobApiSettings settings) {
    try {
      return DataSources.create(
          settings.jdbcUrl(), settings.dbUser(), settings.dbPassword(), settings.dbPoolSize());
    } catch (RuntimeException e) {
      throw new JobApiStartException(
          "cannot connect to PostgreSQL (setting jdbcUrl="
              + settings.jdbcUrl()
              + ", dbUser="
              + settings.dbUser()
              + "): "
              + e.getMessage(),
          e);
    }
  }

  // jobs.control must have as many partitions as task-results (the dispatcher reads them together
  // and refuses to start otherwise): task-results is created like the other shared topics, then
  // jobs.control after its count.
  private static void provisionTopics(JobApiSettings settings, TopicCatalog topics) {
    try {
      TopicProvisioner provisioner =
          new TopicProvisioner(
              settings.kafkaBootstrap(),
              settings.topicPartitions(),
              settings.topicReplicationFactor());
      provisioner.ensure(
          List.of(
              topics.jobsSubmitted().name(),
              topics.jobsEvents().name(),
              topics.deadLetters().name(),
              topics.taskResults().name()));
      TopicProvisioner.CoPartitioning control =
          provisioner.ensureCoPartitioned(topics.jobsControl().name(), topics.taskResults().name());
      if (!control.matches()) {
        LOG.warn("{}; until then the dispatcher refuses to start", control.mismatch());
      }
    } catch (RuntimeException e) {
      throw new JobApiStartException(
          "cannot create topics on Kafka (setting kafkaBootstrap="
              + settings.kafkaBootstrap()
              + "): "
              + e.getMessage(),
          e);
    }
  }

  private static EmbeddedServer serve(
      JobApiSettings settings, Deque<AutoCloseable> resources, Object... features) {
    InFlightRequests inFlight = new InFlightRequests();
    Object[] beans = Arrays.copyOf(features, features.length + 1);
    beans[features.length] = inFlight;
    ApplicationContext context =
        ApplicationContext.builder()
            .deduceEnvironment(false)
            .banner(false)
            .properties(
                Map.of(
                    JobApiBeans.ENABLED,
                    "true",
                    "micronaut.application.name",
                    settings.kafkaClientId(),
                    "micronaut.server.host",
                    settings.httpHost(),
                    "micronaut.server.port",
                    settings.httpPort() == 0 ? -1 : settings.httpPort(),
                    // a body Micronaut buffers (JSON) up to maxBodyBytes; a streamed body (a file
                    // upload, checked against bulk.maxFileBytes while it streams) up to the file
                    // limit and a little for the form around the file
                    "micronaut.server.max-request-buffer-size",
                    settings.maxBodyBytes(),
                    "micronaut.server.max-request-size",
                    Math.max(settings.maxBodyBytes(), settings.bulk().maxUploadBytes()),
                    JobApiBeans.MAX_BODY_BYTES,
                    settings.maxBodyBytes(),
                    JobApiBeans.MAX_FILE_BYTES,
                    settings.bulk().maxFileBytes(),
                    // a request line up to 16 KB is read and answered (an overlong job ID gets its
                    // 404) instead of being cut off with the connection at Netty's 4 KB
                    "micronaut.server.netty.max-initial-line-length",
                    16 * 1024))
            .singletons(beans)
            .build();
    resources.push(() -> stopServing(context, inFlight));
    try {
      context.start();
      return context.getBean(EmbeddedServer.class).start();
    } catch (RuntimeException e) {
      throw new JobApiStartException(
          "cannot start the HTTP server (settings httpHost="
              + settings.httpHost()
              + ", httpPort="
              + settings.httpPort()
              + "): "
              + e.getMessage(),
          e);
    }
  }

  /**
   * Stops the HTTP server, refuses requests still arriving on open connections (503), lets the
   * requests under way finish (at most {@link #DRAIN_TIMEOUT}), and only then closes the context: a
   * request still running when its beans go would fail with "cannot resolve beans" or find the
   * connection pool gone.
   */
  private static void stopServing(ApplicationContext context, InFlightRequests inFlight) {
    if (!context.isRunning()) {
      return;
    }
    context.getBean(EmbeddedServer.class).stop();
    inFlight.close();
    try {
      int running = inFlight.awaitNone(DRAIN_TIMEOUT);
      if (running > 0) {
        LOG.warn(
            "{} HTTP requests still running {} after the server stopped", running, DRAIN_TIMEOUT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    context.close();
  }

  private static String reachableHost(String bindHost) {
    return bindHost.equals("0.0.0.0") || bindHost.equals("::") ? "127.0.0.1" : bindHost;
  }

  /** The base URL of the HTTP API, e.g. {@code http://127.0.0.1:8080}. */
  public URI url() {
    return url;
  }

  /** Tenants and API keys. */
  public TenantAdmin admin() {
    return admin;
  }

  /** Tenants' token budgets (docs/budgets.md). */
  public BudgetAdmin budgets() {
    return budgets;
  }

  /** How many long polls and event streams wait for a job change on this instance now. */
  public int waitingClients() {
    return waits.waiting();
  }

  public JobApiSettings settings() {
    return settings;
  }

  /**
   * Stops serving: the HTTP server first, then the relay and the consumer, then the clients. Jobs
   * already accepted stay in the outbox until a relay (this one after a restart, or another
   * instance) publishes them.
   */
  @Override
  public void close() {
    closeAll(resources);
    LOG.info("job-api stopped");
  }

  private static void closeAll(Deque<AutoCloseable> resources) {
    while (!resources.isEmpty()) {
      AutoCloseable resource = resources.pop();
      try {
        resource.close();
      } catch (Exception e) {
        LOG.warn(
            "could not close {} cleanly: {}", resource.getClass().getSimpleName(), e.getMessage());
      }
    }
  }
}
