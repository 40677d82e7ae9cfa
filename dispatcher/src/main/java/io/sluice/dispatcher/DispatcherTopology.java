package io.sluice.dispatcher;

import io.sluice.dispatcher.completion.JobCompletion;
import io.sluice.dispatcher.completion.JobProgress;
import io.sluice.dispatcher.internal.CompletionProcessor;
import io.sluice.dispatcher.internal.DispatchProcessor;
import io.sluice.dispatcher.internal.PayloadReader;
import io.sluice.dispatcher.internal.TaskTopicExtractor;
import io.sluice.dispatcher.routing.JobRouter;
import io.sluice.lane.LanePolicy;
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
 *                         │ [dispatched-jobs] └─▶ jobs.events        failed: cannot dispatch
 *                         └──────────────────────▶ dead-letters       unreadable record
 *
 * task-results ───▶ read ─┬─▶ complete ─┬─▶ jobs.events               terminal event, once
 *                         │ [job-progress] └─▶ dead-letters           result of unknown task
 *                         └──────────────────────▶ dead-letters       unreadable record
 * </pre>
 *
 * Sources read bytes and a {@link PayloadReader} parses them, so that an unreadable record is
 * dead-lettered inside the topology, in the same transaction as the input offset.
 */
public final class DispatcherTopology {
  /** Job ID → when it was dispatched (epoch ms); drops duplicate submissions. */
  public static final String DISPATCHED_JOBS_STORE = "dispatched-jobs";

  /** Job ID → {@link JobProgress}; drops duplicate results, emits one terminal event. */
  public static final String JOB_PROGRESS_STORE = "job-progress";

  private final TopicCatalog topics;
  private final JobRouter router;
  private final JobCompletion completion;
  private final Clock clock;
  private final Duration retention;
  private final Duration sweepInterval;

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
    this.router = new JobRouter(settings.models(), new LanePolicy(), inputTokens, clock);
    this.retention = settings.dedupRetention();
    this.sweepInterval = settings.sweepInterval();
    this.completion = new JobCompletion();
    this.clock = clock;
  }

  /** Every topic the topology reads or writes, for provisioning at start. */
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
                    retention,
                    sweepInterval),
            "read-submitted-jobs")
        .addStateStore(
            Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(DISPATCHED_JOBS_STORE),
                Serdes.String(),
                Serdes.Long()),
            "dispatch")
        .addSink(
            "tasks",
            new TaskTopicExtractor(topics),
            Serdes.String().serializer(),
            JsonSerde.of(Task.class).serializer(),
            "dispatch");
    addSink(topology, "dispatch-failures", topics.jobsEvents(), "dispatch");
    addSink(topology, "unreadable-jobs", topics.deadLetters(), "read-submitted-jobs");
  }

  private void addCompletion(Topology topology) {
    Topic<String, TaskResult> results = topics.taskResults();
    addReader(topology, "task-results", results, "complete", "result-dead-letters");
    topology
        .addProcessor(
            "complete",
            () ->
                new CompletionProcessor(
                    completion,
                    clock,
                    JOB_PROGRESS_STORE,
                    results.name(),
                    "job-events",
                    "result-dead-letters",
                    retention,
                    sweepInterval),
            "read-task-results")
        .addStateStore(
            Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(JOB_PROGRESS_STORE),
                Serdes.String(),
                JsonSerde.of(JobProgress.class)),
            "complete");
    addSink(topology, "job-events", topics.jobsEvents(), "complete");
    addSink(topology, "result-dead-letters", topics.deadLetters(), "read-task-results", "complete");
  }

  private <V> void addReader(
      Topology topology, String source, Topic<String, V> topic, String next, String deadLetters) {
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
