package io.sluice.dispatcher;

import io.sluice.dispatcher.completion.JobCompletion;
import io.sluice.dispatcher.completion.JobProgress;
import io.sluice.dispatcher.fairness.Pacing;
import io.sluice.dispatcher.internal.CancelProcessor;
import io.sluice.dispatcher.internal.CompletionProcessor;
import io.sluice.dispatcher.internal.DeadlineRegistrationProcessor;
import io.sluice.dispatcher.internal.DispatchMetrics;
import io.sluice.dispatcher.internal.DispatchProcessor;
import io.sluice.dispatcher.internal.MapReduceProcessor;
import io.sluice.dispatcher.internal.PayloadReader;
import io.sluice.dispatcher.internal.StateSerdes;
import io.sluice.dispatcher.internal.TaskTopicExtractor;
import io.sluice.dispatcher.mapreduce.MapReduceFlow;
import io.sluice.dispatcher.mapreduce.MapReduceState;
import io.sluice.dispatcher.mapreduce.StoredAnswer;
import io.sluice.dispatcher.routing.JobRouter;
import io.sluice.lane.LanePolicy;
import io.sluice.observability.tracing.Tracing;
import io.sluice.schemas.job.CompletionSpec;
import io.sluice.schemas.job.SubmittedJob;
import io.sluice.schemas.json.JsonSerde;
import io.sluice.schemas.model.ModelCatalog;
import io.sluice.schemas.task.Lane;
import io.sluice.schemas.task.Task;
import io.sluice.schemas.task.TaskResult;
import io.sluice.schemas.topic.Topic;
import io.sluice.schemas.topic.TopicCatalog;
import io.sluice.tokens.TokenEstimator;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToLongFunction;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * Builds the dispatcher's Kafka Streams topology: two sub-topologies, dispatch and completion.
 *
 * <pre>
 * jobs.submitted ─▶ read ─┬─▶ dispatch ─┬─▶ tasks.&lt;provider&gt;.&lt;lane&gt;  routed task
 *                         │ [dispatched-jobs] ├─▶ jobs.events        failed: cannot dispatch
 *                         │                   └─▶ &lt;app&gt;-job-deadlines  deadline of a routed job
 *                         └──────────────────────▶ dead-letters       unreadable record
 *
 * &lt;app&gt;-job-deadlines ─▶ register-deadline [job-progress, job-deadlines]
 * task-results ───▶ read ─┬─▶ complete ─┬─▶ jobs.events               running, placed, terminal,
 *                         │ [job-progress,  │                          late cost; expired (deadline)
 *                         │  job-deadlines] ├─▶ tasks.&lt;provider&gt;.&lt;lane&gt;  next fallback entry
 *                         │                 └─▶ dead-letters           result of unknown task
 *                         └──────────────────────▶ dead-letters       unreadable record
 * jobs.control ───▶ read ─┬─▶ cancel ─────────▶ jobs.events               cancelled
 *                         │ [job-progress, job-deadlines]
 *                         └──────────────────────▶ dead-letters       unreadable record
 * </pre>
 *
 * Sources read bytes and a {@link PayloadReader} parses them, so that an unreadable record is
 * dead-lettered inside the topology, in the same transaction as the input offset. Deadlines go from
 * dispatch to completion over the dispatcher's own topic {@link #deadlinesTopic}, partitioned like
 * {@code task-results}, so that both of a job's records reach the same task and its stores; {@code
 * jobs.control} must be partitioned alike for the same reason ({@link Dispatcher#start} checks it).
 */
public final class DispatcherTopology {
  /** Job ID → when it was dispatched (epoch ms); drops duplicate submissions. */
  public static final String DISPATCHED_JOBS_STORE = "dispatched-jobs";

  /** Job ID → {@link JobProgress}; drops duplicate results, emits one terminal event. */
  public static final String JOB_PROGRESS_STORE = "job-progress";

  /**
   * (Deadline, job ID) → tenant, in deadline order: the jobs with a deadline that have not ended.
   */
  public static final String JOB_DEADLINES_STORE = "job-deadlines";

  /**
   * Failed results that overtook their job's fallback chain (sent with a fallback entry after them,
   * read before the job's registration), held until the chain is registered.
   */
  public static final String OVERTAKING_RESULTS_STORE = "overtaking-results";

  /** Job ID → {@link MapReduceState}: where each running map-reduce job stands. */
  public static final String MAP_REDUCE_JOBS_STORE = "map-reduce-jobs";

  /** {@code <jobId>/<level>/<index>} → {@link StoredAnswer}: partial answers of open levels. */
  public static final String MAP_REDUCE_ANSWERS_STORE = "map-reduce-answers";

  /** The suffix of {@link #deadlinesTopic}, after the application ID. */
  static final String DEADLINES_TOPIC_SUFFIX = "-job-deadlines";

  private final TopicCatalog topics;
  private final StateStores stores;
  private final String deadlinesTopic;
  private final JobRouter router;
  private final JobCompletion completion;
  private final Clock clock;
  private final Duration retention;
  private final Duration sweepInterval;
  private final Duration lateResultWindow;
  private final Duration expiryCheckInterval;
  private final DispatchMetrics metrics;
  private final Tracing tracing;
  private final MapReduceFlow mapReduce;
  private final Pacing pacing;

  /**
   * The production topology of these settings: {@link LanePolicy} lanes, {@link TokenEstimator}
   * estimates.
   */
  public DispatcherTopology(DispatcherSettings settings, Clock clock) {
    this(settings, TokenEstimator::inputTokens, clock);
  }

  /** As {@link #DispatcherTopology(DispatcherSettings, Clock)}, with another estimate (tests). */
  DispatcherTopology(
      DispatcherSettings settings, ToLongFunction<CompletionSpec> inputTokens, Clock clock) {
    this.topics = settings.topics();
    this.stores = settings.stateStores();
    this.deadlinesTopic = deadlinesTopic(settings);
    this.router =
        new JobRouter(
            settings.models(),
            new LanePolicy(settings.deadlines()),
            inputTokens,
            settings.batchProviders(),
            settings.fallback(),
            clock);
    this.retention = settings.dedupRetention();
    this.sweepInterval = settings.sweepInterval();
    this.lateResultWindow = settings.deadlines().batchWindow();
    this.expiryCheckInterval = settings.expiryCheckInterval();
    this.completion = new JobCompletion(settings.deadlines(), router.fallback());
    this.metrics = new DispatchMetrics(settings.meters());
    this.tracing = Tracing.of(settings.openTelemetry(), "io.sluice.dispatcher");
    this.mapReduce = new MapReduceFlow(inputTokens);
    this.clock = clock;
    this.pacing = new Pacing(settings.pacing(), topics, settings.applicationId(), clock);
  }

  /**
   * The dispatcher's own topic from dispatch to completion: routed jobs' deadlines, keyed by job
   * ID. It must have as many partitions as {@code task-results}; {@link Dispatcher#start} creates
   * it so.
   */
  public static String deadlinesTopic(DispatcherSettings settings) {
    return settings.applicationId() + DEADLINES_TOPIC_SUFFIX;
  }

  /**
   * Every topic the topology reads or writes, for provisioning at start, but those that must be
   * partitioned like {@code task-results} ({@link #deadlinesTopic}, {@code jobs.control}): {@link
   * Dispatcher#start} creates them so.
   */
  public static List<String> topicNames(TopicCatalog topics, ModelCatalog models) {
    List<String> names = new ArrayList<>();
    names.add(topics.jobsSubmitted().name());
    names.add(topics.taskResults().name());
    names.add(topics.jobsEvents().name());
    names.add(topics.deadLetters().name());
    for (String provider : models.providers().stream().sorted().toList()) {
      for (Lane lane : Lane.values()) {
        names.add(topics.tasks(provider, lane).name());
      }
    }
    return names;
  }

  public Topology build() {
    Topology topology = new Topology();
    addDispatch(topology);
    addCompletion(topology);
    return topology;
  }

  private void addDispatch(Topology topology) {
    Topic<String, SubmittedJob> submitted = topics.jobsSubmitted();
    addReader(topology, "submitted-jobs", submitted, "dispatch", "unreadable-jobs");
    topology
        .addProcessor(
            "dispatch",
            () ->
                new DispatchProcessor(
                    router,
                    clock,
                    DISPATCHED_JOBS_STORE,
                    "tasks",
                    "dispatch-failures",
                    "deadline-registrations",
                    retention,
                    sweepInterval,
                    metrics,
                    tracing),
            "read-submitted-jobs")
        .addStateStore(
            Stores.keyValueStoreBuilder(
                stores.keyValue(DISPATCHED_JOBS_STORE), Serdes.String(), Serdes.Long()),
            "dispatch");
    // paced lanes wait in the completion sub-topology's pacer (docs/fairness.md)
    pacing.addRouter(topology, "tasks", "dispatch");
    addSink(topology, "dispatch-failures", topics.jobsEvents(), "dispatch");
    topology.addSink(
        "deadline-registrations",
        deadlinesTopic,
        Serdes.String().serializer(),
        StateSerdes.JOB_DEADLINE.serializer(),
        "dispatch");
    addSink(topology, "unreadable-jobs", topics.deadLetters(), "read-submitted-jobs");
  }

  private void addCompletion(Topology topology) {
    Topic<String, TaskResult> results = topics.taskResults();
    addReader(
        topology,
        "task-results",
        results,
        List.of("complete", Pacing.pacerNode()),
        "result-dead-letters");
    topology
        .addSource(
            "job-deadlines",
            Serdes.String().deserializer(),
            StateSerdes.JOB_DEADLINE.deserializer(),
            deadlinesTopic)
        .addProcessor(
            "register-deadline",
            () ->
                new DeadlineRegistrationProcessor(
                    JOB_PROGRESS_STORE,
                    JOB_DEADLINES_STORE,
                    OVERTAKING_RESULTS_STORE,
                    "map-reduce",
                    "complete"),
            "job-deadlines")
        .addProcessor(
            "complete",
            () ->
                new CompletionProcessor(
                    completion,
                    clock,
                    new CompletionProcessor.StoreNames(
                        JOB_PROGRESS_STORE, JOB_DEADLINES_STORE, OVERTAKING_RESULTS_STORE),
                    new CompletionProcessor.Sinks(
                        results.name(),
                        "job-events",
                        "result-dead-letters",
                        "map-reduce",
                        "fallback-tasks"),
                    new CompletionProcessor.Timing(
                        retention, lateResultWindow, sweepInterval, expiryCheckInterval),
                    metrics,
                    tracing),
            "read-task-results",
            "register-deadline")
        .addStateStore(
            Stores.keyValueStoreBuilder(
                stores.keyValue(JOB_PROGRESS_STORE),
                Serdes.String(),
                JsonSerde.of(JobProgress.class)),
            "complete",
            "register-deadline")
        .addStateStore(
            StateSerdes.deadlineIndex(stores.keyValue(JOB_DEADLINES_STORE)),
            "complete",
            "register-deadline")
        .addStateStore(
            Stores.keyValueStoreBuilder(
                stores.keyValue(OVERTAKING_RESULTS_STORE),
                Serdes.String(),
                JsonSerde.of(TaskResult.class)),
            "complete",
            "register-deadline");
    topology.addSink(
        "fallback-tasks",
        new TaskTopicExtractor(topics),
        Serdes.String().serializer(),
        JsonSerde.of(Task.class).serializer(),
        "complete");
    addCancel(topology);
    addMapReduce(topology);
    pacing.addPacer(topology, "read-task-results", JOB_PROGRESS_STORE, stores);
    addSink(topology, "job-events", topics.jobsEvents(), "complete", "cancel", "map-reduce");
    addSink(topology, "result-dead-letters", topics.deadLetters(), "read-task-results", "complete");
  }

  /**
   * Map-reduce: results of map and reduce tasks (from complete) and job registrations (from
   * register-deadline) drive {@link MapReduceFlow}; reduce tasks go to the task topics.
   */
  private void addMapReduce(Topology topology) {
    topology
        .addProcessor(
            "map-reduce",
            () ->
                new MapReduceProcessor(
                    mapReduce,
                    clock,
                    new MapReduceProcessor.StoreNames(
                        JOB_PROGRESS_STORE,
                        JOB_DEADLINES_STORE,
                        MAP_REDUCE_JOBS_STORE,
                        MAP_REDUCE_ANSWERS_STORE),
                    "reduce-tasks",
                    "job-events"),
            "complete",
            "register-deadline")
        .addStateStore(
            Stores.keyValueStoreBuilder(
                stores.keyValue(MAP_REDUCE_JOBS_STORE),
                Serdes.String(),
                JsonSerde.of(MapReduceState.class)),
            "map-reduce")
        .addStateStore(
            Stores.keyValueStoreBuilder(
                stores.keyValue(MAP_REDUCE_ANSWERS_STORE),
                Serdes.String(),
                JsonSerde.of(StoredAnswer.class)),
            "map-reduce")
        .connectProcessorAndStateStores("map-reduce", JOB_PROGRESS_STORE, JOB_DEADLINES_STORE)
        .addSink(
            "reduce-tasks",
            new TaskTopicExtractor(topics),
            Serdes.String().serializer(),
            JsonSerde.of(Task.class).serializer(),
            "map-reduce");
  }

  private void addCancel(Topology topology) {
    addReader(topology, "job-control", topics.jobsControl(), "cancel", "control-dead-letters");
    topology
        .addProcessor(
            "cancel",
            () ->
                new CancelProcessor(
                    completion,
                    clock,
                    new CompletionProcessor.StoreNames(
                        JOB_PROGRESS_STORE, JOB_DEADLINES_STORE, OVERTAKING_RESULTS_STORE),
                    "job-events"),
            "read-job-control")
        .connectProcessorAndStateStores("cancel", JOB_PROGRESS_STORE, JOB_DEADLINES_STORE);
    addSink(topology, "control-dead-letters", topics.deadLetters(), "read-job-control");
  }

  private <V> void addReader(
      Topology topology, String source, Topic<String, V> topic, String next, String deadLetters) {
    addReader(topology, source, topic, List.of(next), deadLetters);
  }

  private <V> void addReader(
      Topology topology,
      String source,
      Topic<String, V> topic,
      List<String> next,
      String deadLetters) {
    var serde = (JsonSerde<V>) topic.valueSerde();
    topology
        .addSource(
            source, Serdes.String().deserializer(), Serdes.ByteArray().deserializer(), topic.name())
        .addProcessor(
            "read-" + source,
            () -> new PayloadReader<>(topic.name(), serde, clock, next, deadLetters),
            source);
  }

  private static <V> void addSink(
      Topology topology, String name, Topic<String, V> topic, String... parents) {
    topology.addSink(
        name,
        topic.name(),
        topic.keySerde().serializer(),
        topic.valueSerde().serializer(),
        parents);
  }
}
