package io.sluice.dispatcher.fairness;

import io.sluice.dispatcher.StateStores;
import io.sluice.dispatcher.fairness.internal.FairPacer;
import io.sluice.dispatcher.fairness.internal.InFlightTask;
import io.sluice.dispatcher.fairness.internal.PacedQueue;
import io.sluice.dispatcher.fairness.internal.PacingRouter;
import io.sluice.dispatcher.fairness.internal.StoredTask;
import io.sluice.dispatcher.internal.TaskTopicExtractor;
import io.sluice.schemas.json.JsonSerde;
import io.sluice.schemas.task.Task;
import io.sluice.schemas.topic.TopicCatalog;
import java.time.Clock;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The dispatcher's part of fair shares, as topology nodes (docs/fairness.md):
 *
 * <pre>
 * dispatch ─▶ tasks ─┬─▶ tasks.&lt;provider&gt;.&lt;lane&gt;        interactive, deferred, unpaced lanes
 *                    └─▶ &lt;app&gt;-paced-tasks (by job ID)   standard, bulk
 *
 * &lt;app&gt;-paced-tasks ─┐
 * task-results ──────┴─▶ pace [paced-waiting, paced-in-flight, paced-queues, job-progress]
 *                               └─▶ tasks.&lt;provider&gt;.&lt;lane&gt;   released by weighted fair queuing
 * </pre>
 *
 * The paced-tasks topic is partitioned like {@code task-results}, so a task and its results reach
 * the same stream task, whose window it counts against.
 */
public final class Pacing {
  /** Queue/tenant/sequence → {@code StoredTask}: paced tasks waiting, in arrival order. */
  public static final String WAITING_STORE = "paced-waiting";

  /** Task ID → {@code InFlightTask}: released paced tasks not finished. */
  public static final String IN_FLIGHT_STORE = "paced-in-flight";

  /** Queue ({@code <provider>/<lane>}) → {@code PacedQueue}: window use and fair-queuing state. */
  public static final String QUEUES_STORE = "paced-queues";

  /** The suffix of {@link #pacedTopic}, after the application ID. */
  public static final String PACED_TOPIC_SUFFIX = "-paced-tasks";

  private static final String PACER = "pace";
  private static final String PACED_SOURCE = "paced-tasks";
  private static final String PACED_SINK = "to-paced-tasks";
  private static final String TASK_TOPICS_SINK = "to-task-topics";
  private static final String RELEASED_SINK = "released-tasks";

  private final PacingSettings settings;
  private final TopicCatalog topics;
  private final String pacedTopic;
  private final Clock clock;

  public Pacing(PacingSettings settings, TopicCatalog topics, String applicationId, Clock clock) {
    this.settings = settings;
    this.topics = topics;
    this.pacedTopic = pacedTopic(applicationId);
    this.clock = clock;
  }

  /** The dispatcher's own topic of paced tasks, keyed by job ID. */
  public static String pacedTopic(String applicationId) {
    return applicationId + PACED_TOPIC_SUFFIX;
  }

  /** The pacer node, which reads task results besides paced tasks. */
  public static String pacerNode() {
    return PACER;
  }

  /**
   * The node named {@code name} that takes routed tasks from {@code parents}: paced lanes to the
   * paced-tasks topic, the others to their task topics.
   */
  public void addRouter(Topology topology, String name, String... parents) {
    topology
        .addProcessor(name, () -> new PacingRouter(settings, TASK_TOPICS_SINK, PACED_SINK), parents)
        .addSink(
            TASK_TOPICS_SINK,
            new TaskTopicExtractor(topics),
            Serdes.String().serializer(),
            JsonSerde.of(Task.class).serializer(),
            name)
        .addSink(
            PACED_SINK,
            pacedTopic,
            Serdes.String().serializer(),
            JsonSerde.of(Task.class).serializer(),
            name);
  }

  /**
   * The pacer, reading the paced-tasks topic and the readable task results of {@code resultsReader}
   * (which must forward to {@link #pacerNode()}), with its stores; it reads the job progress store
   * {@code jobProgressStore} (added elsewhere) to drop tasks of ended jobs; its stores are of the
   * dispatcher's kind ({@code stores}).
   */
  public void addPacer(
      Topology topology, String resultsReader, String jobProgressStore, StateStores stores) {
    topology
        .addSource(
            PACED_SOURCE,
            Serdes.String().deserializer(),
            JsonSerde.of(Task.class).deserializer(),
            pacedTopic)
        .addProcessor(
            PACER,
            () ->
                new FairPacer(
                    settings,
                    new FairPacer.StoreNames(
                        WAITING_STORE, IN_FLIGHT_STORE, QUEUES_STORE, jobProgressStore),
                    RELEASED_SINK,
                    clock),
            PACED_SOURCE,
            resultsReader)
        .addStateStore(
            Stores.keyValueStoreBuilder(
                stores.keyValue(WAITING_STORE), Serdes.String(), JsonSerde.of(StoredTask.class)),
            PACER)
        .addStateStore(
            Stores.keyValueStoreBuilder(
                stores.keyValue(IN_FLIGHT_STORE),
                Serdes.String(),
                JsonSerde.of(InFlightTask.class)),
            PACER)
        .addStateStore(
            Stores.keyValueStoreBuilder(
                stores.keyValue(QUEUES_STORE), Serdes.String(), JsonSerde.of(PacedQueue.class)),
            PACER)
        .connectProcessorAndStateStores(PACER, jobProgressStore)
        .addSink(
            RELEASED_SINK,
            new TaskTopicExtractor(topics),
            Serdes.String().serializer(),
            JsonSerde.of(Task.class).serializer(),
            PACER);
  }
}
