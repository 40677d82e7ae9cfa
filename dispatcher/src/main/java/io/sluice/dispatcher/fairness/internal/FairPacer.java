package io.sluice.dispatcher.fairness.internal;

import io.sluice.dispatcher.completion.JobProgress;
import io.sluice.dispatcher.fairness.PacingSettings;
import io.sluice.lane.FairQueue;
import io.sluice.schemas.task.Task;
import io.sluice.schemas.task.TaskResult;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Paces the tasks of the paced lanes in one stream task: they wait in a state store per queue
 * (provider and lane) and tenant, in arrival order, and are released to their task topic by
 * weighted fair queuing between tenants ({@link FairQueue}) while fewer than the window are in
 * flight. A terminal task result frees its task's place in the window; so does the release timeout,
 * so that a lost result cannot shrink the window for good. A waiting task whose job has ended
 * (cancelled, expired) is dropped instead of released. Every store is changelogged and every
 * release is in the same transaction as the input that caused it, so pacing keeps exactly-once.
 */
public final class FairPacer implements Processor<String, Object, String, Task> {
  private static final Logger LOG = LoggerFactory.getLogger(FairPacer.class);
  private static final char SEPARATOR = '\u0001';
  private static final char AFTER_SEPARATOR = '\u0002';
  private static final Duration SWEEP_INTERVAL = Duration.ofSeconds(1);

  /** The names of the stores the pacer uses. */
  public record StoreNames(String waiting, String inFlight, String queues, String jobProgress) {}

  private final PacingSettings settings;
  private final FairQueue fairQueue;
  private final StoreNames stores;
  private final String taskSink;
  private final Clock clock;
  private ProcessorContext<String, Task> context;
  private KeyValueStore<String, StoredTask> waiting;
  private KeyValueStore<String, InFlightTask> inFlight;
  private KeyValueStore<String, PacedQueue> queues;
  private KeyValueStore<String, JobProgress> progress;

  public FairPacer(PacingSettings settings, StoreNames stores, String taskSink, Clock clock) {
    this.settings = settings;
    this.fairQueue = new FairQueue(settings.weights());
    this.stores = stores;
    this.taskSink = taskSink;
    this.clock = clock;
  }

  @Override
  public void init(ProcessorContext<String, Task> context) {
    this.context = context;
    this.waiting = context.getStateStore(stores.waiting());
    this.inFlight = context.getStateStore(stores.inFlight());
    this.queues = context.getStateStore(stores.queues());
    this.progress = context.getStateStore(stores.jobProgress());
    context.schedule(SWEEP_INTERVAL, PunctuationType.WALL_CLOCK_TIME, ignored -> sweep());
  }

  @Override
  public void process(Record<String, Object> record) {
    switch (record.value()) {
      case Task task -> enqueue(task, record);
      case TaskResult result -> finish(result);
      default -> {
        // not ours: only tasks and results reach the pacer
      }
    }
  }

  private void enqueue(Task task, Record<String, Object> record) {
    String queue = queueOf(task);
    String tenant = tenantOf(task);
    PacedQueue state = queueState(queue);
    waiting.put(waitingKey(queue, tenant, state.nextSeq()), stored(task, record));
    state = state.arrived(tenant);
    queues.put(queue, state);
    release(queue);
  }

  private void finish(TaskResult result) {
    if (!result.outcome().isTerminal()) {
      return;
    }
    InFlightTask done = inFlight.delete(result.taskId());
    if (done == null) {
      return;
    }
    queues.put(done.queue(), queueState(done.queue()).finished());
    release(done.queue());
  }

  /** Frees the window of tasks in flight longer than the release timeout, then releases. */
  private void sweep() {
    long before = clock.millis() - settings.releaseTimeout().toMillis();
    List<KeyValue<String, InFlightTask>> expired = new ArrayList<>();
    try (KeyValueIterator<String, InFlightTask> all = inFlight.all()) {
      all.forEachRemaining(
          entry -> {
            if (entry.value.releasedAt() <= before) {
              expired.add(entry);
            }
          });
    }
    Set<String> touched = new LinkedHashSet<>();
    for (KeyValue<String, InFlightTask> entry : expired) {
      inFlight.delete(entry.key);
      queues.put(entry.value.queue(), queueState(entry.value.queue()).finished());
      touched.add(entry.value.queue());
      LOG.info(
          "Task {} has had no result for {}; it no longer counts against the window of {}",
          entry.key,
          settings.releaseTimeout(),
          entry.value.queue());
    }
    touched.forEach(this::release);
  }

  /** Releases tasks of the queue, the fairest tenant's first, while the window has room. */
  private void release(String queue) {
    PacedQueue state = queueState(queue);
    while (state.inFlight() < settings.window() && !state.waitingTenants().isEmpty()) {
      String tenant = fairQueue.next(state.fair(), state.waitingTenants()).orElseThrow();
      KeyValue<String, StoredTask> first = firstWaiting(queue, tenant);
      if (first == null) {
        LOG.warn("Queue {} counted tasks of a tenant that has none waiting; recounting", queue);
        state = state.emptied(tenant);
        continue;
      }
      waiting.delete(first.key);
      state = state.taken(tenant);
      Task task = first.value.task();
      if (hasEnded(task.jobId())) {
        LOG.debug(
            "Job {} ended while its task {} waited; not releasing it", task.jobId(), task.taskId());
        continue;
      }
      state = state.released(tenant, fairQueue);
      inFlight.put(task.taskId(), new InFlightTask(queue, tenant, clock.millis()));
      context.forward(
          new Record<>(task.taskId(), task, clock.millis(), headers(first.value)), taskSink);
    }
    if (state.isIdle()) {
      queues.delete(queue);
    } else {
      queues.put(queue, state);
    }
  }

  private boolean hasEnded(String jobId) {
    JobProgress job = progress.get(jobId);
    return job != null && job.isTerminal();
  }

  private KeyValue<String, StoredTask> firstWaiting(String queue, String tenant) {
    String prefix = queue + SEPARATOR + tenant + SEPARATOR;
    try (KeyValueIterator<String, StoredTask> range =
        waiting.range(prefix, queue + SEPARATOR + tenant + AFTER_SEPARATOR)) {
      return range.hasNext() ? range.next() : null;
    }
  }

  private PacedQueue queueState(String queue) {
    PacedQueue state = queues.get(queue);
    return state == null ? PacedQueue.EMPTY : state;
  }

  /** The queue of a task: its provider and lane. */
  static String queueOf(Task task) {
    return task.provider() + "/" + task.lane().topicSegment();
  }

  private static String tenantOf(Task task) {
    return task.tenantId() == null ? "" : task.tenantId();
  }

  /** Orders a tenant's waiting tasks by arrival: the sequence number, zero-padded. */
  static String waitingKey(String queue, String tenant, long seq) {
    return queue + SEPARATOR + tenant + SEPARATOR + String.format("%019d", seq);
  }

  private static StoredTask stored(Task task, Record<String, Object> record) {
    Map<String, String> headers = new HashMap<>();
    for (Header header : record.headers()) {
      if (header.value() != null) {
        headers.put(header.key(), new String(header.value(), StandardCharsets.UTF_8));
      }
    }
    return new StoredTask(task, headers);
  }

  private static RecordHeaders headers(StoredTask stored) {
    RecordHeaders headers = new RecordHeaders();
    stored
        .headers()
        .forEach((key, value) -> headers.add(key, value.getBytes(StandardCharsets.UTF_8)));
    return headers;
  }
}
