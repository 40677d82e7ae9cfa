package io.sluice.dispatcher.internal;

import io.sluice.dispatcher.completion.JobProgress;
import io.sluice.dispatcher.mapreduce.MapReduceFlow;
import io.sluice.dispatcher.mapreduce.MapReduceRegistration;
import io.sluice.dispatcher.mapreduce.MapReduceState;
import io.sluice.dispatcher.mapreduce.MapReduceTaskId;
import io.sluice.dispatcher.mapreduce.StoredAnswer;
import io.sluice.schemas.job.JobEvent;
import io.sluice.schemas.task.Task;
import io.sluice.schemas.task.TaskResult;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies {@link MapReduceFlow} to the results of map-reduce tasks and to the registrations of
 * map-reduce jobs, with the job's state in {@code map-reduce-jobs} and its partial answers one per
 * entry in {@code map-reduce-answers} (key {@code <jobId>/<level>/<index>}, so a level is one
 * prefix scan and no entry grows with the number of chunks). A job that has ended (by the flow, or
 * cancelled or expired by completion) drops its inputs and its entries; the flow's end is recorded
 * in {@code job-progress} so that a cancel or a deadline after it changes nothing.
 */
public final class MapReduceProcessor implements Processor<String, Object, String, Object> {
  private static final Logger LOG = LoggerFactory.getLogger(MapReduceProcessor.class);
  private static final StringSerializer KEYS = new StringSerializer();

  /** The stores it uses by name. */
  public record StoreNames(String progress, String deadlines, String jobs, String answers) {}

  private final MapReduceFlow flow;
  private final Clock clock;
  private final StoreNames stores;
  private final String taskSink;
  private final String eventSink;
  private ProcessorContext<String, Object> context;
  private KeyValueStore<String, JobProgress> progress;
  private DeadlineIndex deadlines;
  private KeyValueStore<String, MapReduceState> jobs;
  private KeyValueStore<String, StoredAnswer> answers;

  public MapReduceProcessor(
      MapReduceFlow flow, Clock clock, StoreNames stores, String taskSink, String eventSink) {
    this.flow = flow;
    this.clock = clock;
    this.stores = stores;
    this.taskSink = taskSink;
    this.eventSink = eventSink;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    this.progress = context.getStateStore(stores.progress());
    this.deadlines = new DeadlineIndex(context.getStateStore(stores.deadlines()));
    this.jobs = context.getStateStore(stores.jobs());
    this.answers = context.getStateStore(stores.answers());
  }

  @Override
  public void process(Record<String, Object> record) {
    String jobId = record.key();
    JobProgress job = progress.get(jobId);
    if (job != null && job.isTerminal()) {
      LOG.debug("Map-reduce job {} has ended; dropping its input", jobId);
      forget(jobId);
      return;
    }
    MapReduceState known = jobs.get(jobId);
    MapReduceState state = known == null ? MapReduceState.NEW : known;
    Instant now = clock.instant();
    Out out = new Out(jobId, record.timestamp());
    MapReduceFlow.Next next =
        switch (record.value()) {
          case TaskResult result ->
              flow.record(
                  MapReduceTaskId.parse(jobId, result.taskId()).orElseThrow(),
                  state,
                  result,
                  now,
                  new StoreAnswers(),
                  out);
          case MapReduceRegistration registration ->
              flow.register(jobId, state, registration, now, new StoreAnswers(), out);
          default ->
              throw new IllegalArgumentException(
                  "not a map-reduce input: " + record.value().getClass().getSimpleName());
        };
    if (next.ended() == null) {
      jobs.put(jobId, next.state());
      return;
    }
    JobProgress current = job == null ? JobProgress.NONE : job;
    progress.put(jobId, current.withEnd(next.ended(), now));
    if (current.deadline() != null) {
      deadlines.remove(jobId, current.deadline());
    }
    forget(jobId);
    LOG.info("Map-reduce job {} ended {}", jobId, next.ended().wireName());
  }

  private void forget(String jobId) {
    jobs.delete(jobId);
    List<String> keys = new ArrayList<>();
    try (KeyValueIterator<String, StoredAnswer> all = answers.prefixScan(jobId + "/", KEYS)) {
      all.forEachRemaining(entry -> keys.add(entry.key));
    }
    keys.forEach(answers::delete);
  }

  private static String levelPrefix(String jobId, int level) {
    return jobId + "/" + String.format("%03d", level) + "/";
  }

  private static String key(String jobId, int level, int index) {
    return levelPrefix(jobId, level) + String.format("%09d", index);
  }

  /** The answers port on the store. */
  private final class StoreAnswers implements MapReduceFlow.Answers {
    @Override
    public boolean has(String jobId, int level, int index) {
      return answers.get(key(jobId, level, index)) != null;
    }

    @Override
    public void put(String jobId, int level, int index, StoredAnswer answer) {
      answers.put(key(jobId, level, index), answer);
    }

    @Override
    public StoredAnswer get(String jobId, int level, int index) {
      return answers.get(key(jobId, level, index));
    }

    @Override
    public SortedMap<Integer, StoredAnswer> level(String jobId, int level) {
      String prefix = levelPrefix(jobId, level);
      SortedMap<Integer, StoredAnswer> found = new TreeMap<>();
      try (KeyValueIterator<String, StoredAnswer> all = answers.prefixScan(prefix, KEYS)) {
        while (all.hasNext()) {
          KeyValue<String, StoredAnswer> entry = all.next();
          found.put(Integer.parseInt(entry.key.substring(prefix.length())), entry.value);
        }
      }
      return found;
    }

    @Override
    public void deleteLevel(String jobId, int level) {
      level(jobId, level).keySet().forEach(index -> answers.delete(key(jobId, level, index)));
    }
  }

  /** The output port: tasks keyed by task ID, events keyed by job ID. */
  private final class Out implements MapReduceFlow.Output {
    private final String jobId;
    private final long timestamp;

    Out(String jobId, long timestamp) {
      this.jobId = jobId;
      this.timestamp = timestamp;
    }

    @Override
    public void task(Task task) {
      context.forward(new Record<>(task.taskId(), task, timestamp), taskSink);
    }

    @Override
    public void event(JobEvent event) {
      context.forward(new Record<>(jobId, event, timestamp), eventSink);
    }
  }
}
