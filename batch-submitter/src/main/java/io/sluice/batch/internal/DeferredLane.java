package io.sluice.batch.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.sluice.batch.BatchSubmitterSettings;
import io.sluice.batch.plan.DeadlineRule;
import io.sluice.batch.plan.FlushPolicy;
import io.sluice.batch.plan.OutcomePolicy;
import io.sluice.batch.plan.QueueLimitPolicy;
import io.sluice.batch.store.BatchDatabase;
import io.sluice.lifecycle.BackgroundLoop;
import io.sluice.lifecycle.Lifecycle;
import io.sluice.providers.ProviderConfig;
import io.sluice.schemas.task.Lane;
import io.sluice.schemas.task.Task;
import io.sluice.schemas.topic.Topic;
import io.sluice.schemas.topic.TopicProvisioner;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Assembles a running batch-submitter from its settings: the pool and schema, the provider
 * accounts, the result producer, and the four loops (intake, submitter, poller, publisher), each
 * registered in a {@link Lifecycle} so that closing stops them in reverse order.
 */
public final class DeferredLane {
  private static final Logger LOG = LoggerFactory.getLogger(DeferredLane.class);

  /** A new topic's replication factor: the cluster's {@code default.replication.factor}. */
  private static final short BROKER_DEFAULT_REPLICATION = -1;

  private DeferredLane() {}

  /** Starts everything; the returned lifecycle stops it. */
  public static Lifecycle start(BatchSubmitterSettings settings) {
    Lifecycle lifecycle = new Lifecycle("batch-submitter");
    try {
      startParts(settings, lifecycle);
      return lifecycle;
    } catch (RuntimeException e) {
      lifecycle.close();
      throw e;
    }
  }

  private static void startParts(BatchSubmitterSettings settings, Lifecycle lifecycle) {
    List<Topic<String, Task>> lanes = new ArrayList<>();
    for (ProviderConfig provider : settings.providers()) {
      lanes.add(settings.topics().tasks(provider.name(), Lane.DEFERRED));
    }
    List<String> topicNames = new ArrayList<>(lanes.stream().map(Topic::name).toList());
    Lane fallbackLane = settings.deadlines().fallbackLane();
    for (ProviderConfig provider : settings.providers()) {
      topicNames.add(settings.topics().tasks(provider.name(), fallbackLane).name());
    }
    topicNames.add(settings.topics().taskResults().name());
    topicNames.add(settings.topics().deadLetters().name());
    // replicas: the cluster's default.replication.factor (-1), as the dispatcher's default; never a
    // single replica of a shared topic on a production cluster because this process created it
    new TopicProvisioner(
            settings.bootstrapServers(), settings.topicPartitions(), BROKER_DEFAULT_REPLICATION)
        .ensure(topicNames);
    ensureControlTopic(settings);

    HikariDataSource pool = lifecycle.started("PostgreSQL pool", pool(settings.jdbc()));
    BatchDatabase database = new BatchDatabase(pool);
    database.migrate();
    Store store = Store.on(database);
    lifecycle.started(
        "deferred lane gauges", BatchMetrics.register(store, settings.clock(), settings.meters()));

    Map<String, Account> accounts = new LinkedHashMap<>();
    for (ProviderConfig provider : settings.providers()) {
      Account account =
          Account.of(
              provider,
              settings.batchProviders().apply(provider),
              settings.reconcileSkew(),
              settings.queueLimitsFor(provider));
      accounts.put(provider.name(), lifecycle.started(provider.name() + " batch client", account));
    }
    ResultProducer producer =
        lifecycle.started(
            "result producer",
            new ResultProducer(
                settings.bootstrapServers(),
                settings.topics(),
                settings.kafkaProperties(),
                fallbackLane));

    OutcomePolicy outcomes = new OutcomePolicy(settings.maxAttempts(), settings.prices());
    DecisionWriter decisions = new DecisionWriter(store, settings.retryDelay());
    FailedBatches failures = new FailedBatches(store, outcomes, decisions, settings.clock());
    BackgroundLoop.Settings tick = BackgroundLoop.Settings.idleWait(settings.tick());
    ActiveInstanceLock active =
        lifecycle.started("active-instance lock", new ActiveInstanceLock(settings.jdbc()));

    BackgroundLoop publisher =
        new BackgroundLoop(
            "batch result publisher",
            tick,
            active.gate(new PublishResults(store, producer, settings.clock())));
    BackgroundLoop poller =
        new BackgroundLoop(
            "batch poller",
            tick,
            active.gate(
                new PollBatches(
                    store,
                    accounts,
                    outcomes,
                    decisions,
                    failures,
                    settings.clock(),
                    settings.pollInterval(),
                    publisher::wake)));
    BackgroundLoop submitter =
        new BackgroundLoop(
            "batch submitter",
            tick,
            active.gate(
                new SubmitBatches(
                    store,
                    accounts,
                    new FlushPolicy(settings.linger(), settings.deadlineLead()),
                    new QueueLimitPolicy(settings.refusalBackoff()),
                    new DeadlineSweep(
                        store, new DeadlineRule(settings.deadlines()), settings.clock()),
                    failures,
                    settings.clock(),
                    settings.pollInterval(),
                    settings.reconcileGrace(),
                    poller::wake)));
    lifecycle.started("batch result publisher", publisher.start());
    lifecycle.started("batch poller", poller.start());
    lifecycle.started("batch submitter", submitter.start());

    DeferredIntake intake =
        lifecycle.started(
            "deferred intake consumer",
            new DeferredIntake(
                settings.bootstrapServers(),
                settings.groupId(),
                lanes,
                settings.topics().jobsControl().name(),
                settings.kafkaProperties(),
                store,
                producer,
                settings.clock(),
                submitter::wake));
    lifecycle.started(
        "deferred intake",
        new BackgroundLoop(
                "deferred intake", BackgroundLoop.Settings.idleWait(settings.tick()), intake)
            .start());
  }

  private static HikariDataSource pool(BatchSubmitterSettings.Jdbc jdbc) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbc.url());
    config.setUsername(jdbc.username());
    config.setPassword(jdbc.password());
    config.setMaximumPoolSize(jdbc.poolSize());
    config.setMinimumIdle(1);
    config.setConnectionTimeout(5_000);
    config.setPoolName("sluice-batch-submitter");
    return new HikariDataSource(config);
  }

  /**
   * Creates {@code jobs.control} if missing with as many partitions as {@code task-results}: the
   * dispatcher reads both together and requires it.
   */
  private static void ensureControlTopic(BatchSubmitterSettings settings) {
    TopicProvisioner.CoPartitioning control =
        new TopicProvisioner(
                settings.bootstrapServers(),
                1,
                BROKER_DEFAULT_REPLICATION,
                settings.kafkaProperties())
            .ensureCoPartitioned(
                settings.topics().jobsControl().name(), settings.topics().taskResults().name());
    if (!control.matches()) {
      LOG.warn("{}; until then the dispatcher refuses to start", control.mismatch());
    }
  }
}
