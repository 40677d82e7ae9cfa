package io.sluice.dispatcher.internal;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
import io.sluice.dispatcher.completion.CompletionStep;
import io.sluice.dispatcher.completion.JobCompletion;
import io.sluice.dispatcher.completion.JobProgress;
import io.sluice.dispatcher.mapreduce.MapReduceTaskId;
import io.sluice.observability.tracing.SpanAttributes;
import io.sluice.observability.tracing.SpanNames;
import io.sluice.observability.tracing.Tracing;
import io.sluice.schemas.json.JsonSerde;
import io.sluice.schemas.task.TaskOutcome;
import io.sluice.schemas.task.TaskResult;
import io.sluice.schemas.topic.DeadLetter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records task results in the job-progress store and publishes what they change: a job's {@code
 * running} event and its terminal event once each, each placement of its task by the deferred lane
 * once, and the cost of a terminal result that came after the end. Duplicates are dropped; results
 * of unknown tasks are dead-lettered.
 *
 * <p>Two wall-clock punctuators: every {@code expiryCheckInterval} the jobs whose deadline has
 * passed and that have not ended end {@code expired}; every {@code sweepInterval} the entries of
 * jobs that ended {@code retention} ago are deleted (those whose task fell back to realtime after
 * {@code lateResultWindow}, if longer: their batch line may still come back). A running job's entry
 * stays.
 */
public final class CompletionProcessor implements Processor<String, TaskResult, String, Object> {
  private static final Logger LOG = LoggerFactory.getLogger(CompletionProcessor.class);
  private static final JsonSerde<TaskResult> RESULTS = JsonSerde.of(TaskResult.class);

  /** Jobs ended by one expiry check at most; the rest wait for the next check. */
  static final int MAX_EXPIRED_PER_CHECK = 10_000;

  private final JobCompletion completion;
  private final Clock clock;
  private final StoreNames stores;
  private final Sinks sinks;
  private final Timing timing;
  private ProcessorContext<String, Object> context;
  private KeyValueStore<String, JobProgress> progress;
  private KeyValueStore<String, TaskResult> overtaking;
  private DeadlineIndex deadlines;

  /**
   * The stores it uses by name ({@code overtaking}: failed results held until their job's fallback
   * chain is registered).
   */
  public record StoreNames(String progress, String deadlines, String overtaking) {}

  /**
   * Where it reads results from and where it publishes ({@code tasks}: the tasks of jobs moving to
   * their next fallback entry).
   */
  public record Sinks(
      String sourceTopic, String events, String deadLetters, String mapReduce, String tasks) {
    /** Sinks of a topology without fallback chains. */
    public Sinks(String sourceTopic, String events, String deadLetters, String mapReduce) {
      this(sourceTopic, events, deadLetters, mapReduce, null);
    }

    /** Sinks of a topology without map-reduce. */
    public Sinks(String sourceTopic, String events, String deadLetters) {
      this(sourceTopic, events, deadLetters, null, null);
    }
  }

  /** How long entries are kept and how often the punctuators run. */
  public record Timing(
      Duration retention,
      Duration lateResultWindow,
      Duration sweepInterval,
      Duration expiryCheckInterval) {}

  private final DispatchMetrics metrics;
  private final Tracing tracing;

  public CompletionProcessor(
      JobCompletion completion,
      Clock clock,
      StoreNames stores,
      Sinks sinks,
      Timing timing,
      DispatchMetrics metrics) {
    this(completion, clock, stores, sinks, timing, metrics, Tracing.off());
  }

  /** With a span per task result ({@code tracing}), child of the worker's span. */
  public CompletionProcessor(
      JobCompletion completion,
      Clock clock,
      StoreNames stores,
      Sinks sinks,
      Timing timing,
      DispatchMetrics metrics,
      Tracing tracing) {
    this.metrics = metrics;
    this.tracing = tracing;
    this.completion = completion;
    this.clock = clock;
    this.stores = stores;
    this.sinks = sinks;
    this.timing = timing;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    this.progress = context.getStateStore(stores.progress());
    this.deadlines = new DeadlineIndex(context.getStateStore(stores.deadlines()));
    this.overtaking = context.getStateStore(stores.overtaking());
    context.schedule(
        timing.sweepInterval(), PunctuationType.WALL_CLOCK_TIME, ignored -> forgetExpired());
    context.schedule(
        timing.expiryCheckInterval(), PunctuationType.WALL_CLOCK_TIME, ignored -> expireOverdue());
  }

  private void forgetExpired() {
    var now = clock.instant();
    int deleted =
        ExpiredEntries.delete(
            progress, job -> job.isExpired(now, timing.retention(), timing.lateResultWindow()));
    if (deleted > 0) {
      LOG.debug("Forgot {} jobs finished more than {} ago", deleted, timing.retention());
    }
  }

  private void expireOverdue() {
    Instant now = clock.instant();
    var due =
        deadlines.due(deadline -> completion.hasExpired(deadline, now), MAX_EXPIRED_PER_CHECK);
    for (DeadlineIndex.Due job : due) {
      expire(job, now);
      deadlines.remove(job.key());
    }
  }

  private void expire(DeadlineIndex.Due due, Instant now) {
    String jobId = due.key().jobId();
    JobProgress known = current(jobId);
    var deadline = known.deadline() != null ? known.deadline() : due.key().deadline();
    var step = completion.expire(known, jobId, due.tenantId(), deadline, now);
    if (step instanceof CompletionStep.Completed completed) {
      context.forward(new Record<>(jobId, completed.event(), now.toEpochMilli()), sinks.events());
      progress.put(jobId, completed.progress());
      LOG.info("Job {} expired: its deadline {} passed before it finished", jobId, deadline);
    }
  }

  @Override
  public void process(Record<String, TaskResult> record) {
    if (!tracing.enabled()) {
      complete(record);
      return;
    }
    TaskResult result = record.value();
    Span span =
        tracing
            .tracer()
            .spanBuilder(SpanNames.COMPLETE)
            .setSpanKind(SpanKind.CONSUMER)
            .setParent(tracing.parentOf(record.headers()))
            .setAttribute(SpanAttributes.JOB_ID, result.jobId())
            .setAttribute(SpanAttributes.TASK_ID, result.taskId())
            .setAttribute(SpanAttributes.TENANT_ID, result.tenantId())
            .setAttribute(
                SpanAttributes.OUTCOME, result.outcome() == null ? null : result.outcome().name())
            .startSpan();
    try (Scope ignored = span.makeCurrent()) {
      complete(record);
    } finally {
      span.end();
    }
  }

  private void complete(Record<String, TaskResult> record) {
    TaskResult result = record.value();
    if (sinks.mapReduce() != null
        && MapReduceTaskId.parse(result.jobId(), result.taskId()).isPresent()) {
      context.forward(record, sinks.mapReduce());
      return;
    }
    JobProgress known = current(result.jobId());
    if (overtookItsChain(result, known)) {
      // The job's registration, written with its task, is still on its way (another partition):
      // the registration hands this result back once the chain is known.
      overtaking.put(result.jobId(), result);
      LOG.debug("Job {}: a failure overtook its fallback chain; held for it", result.jobId());
      return;
    }
    var step = completion.record(known, result, clock.instant());
    switch (step) {
      case CompletionStep.Recorded recorded -> {
        context.forward(
            TracedRecords.withCurrentTrace(
                record.withKey(result.jobId()).withValue(recorded.event())),
            sinks.events());
        // Only after forwarding: if forwarding fails, the change must not count as made.
        progress.put(result.jobId(), recorded.progress());
        if (recorded instanceof CompletionStep.Completed && known.deadline() != null) {
          deadlines.remove(result.jobId(), known.deadline());
        }
        LOG.debug("Job {}: event {}", result.jobId(), recorded.event().eventId());
        metrics.result(result, DispatchMetrics.Handling.RECORDED);
      }
      case CompletionStep.FellBack fellBack -> fallBack(record, result, fellBack);
      case CompletionStep.Duplicate duplicate -> {
        LOG.debug("Dropping a duplicate task result: {}", duplicate.reason());
        metrics.result(result, DispatchMetrics.Handling.DUPLICATE);
      }
      case CompletionStep.Rejected rejected -> {
        deadLetter(record, result, rejected.reason());
        metrics.result(result, DispatchMetrics.Handling.DEAD_LETTERED);
      }
    }
  }

  /** The job's task moves to the next entry of its fallback chain. */
  private void fallBack(
      Record<String, TaskResult> record, TaskResult failed, CompletionStep.FellBack fellBack) {
    var task = fellBack.task();
    if (sinks.tasks() == null) {
      throw new IllegalStateException("a fallback step in a topology without a task sink");
    }
    context.forward(
        TracedRecords.withCurrentTrace(record.withKey(task.taskId()).withValue(task)),
        sinks.tasks());
    // Only after forwarding: if forwarding fails, the step must not count as made.
    progress.put(failed.jobId(), fellBack.progress());
    metrics.dispatched(task);
    metrics.result(failed, DispatchMetrics.Handling.RECORDED);
    LOG.info(
        "Job {}: {} failed ({}); its task falls back to {}/{}",
        failed.jobId(),
        failed.provider(),
        failed.error() == null ? "no error" : failed.error().code(),
        task.provider(),
        task.request().model());
  }

  /**
   * Whether a failure was sent with a fallback entry after it to a job whose chain completion does
   * not know yet: without the chain it would end the job instead of moving it on.
   */
  private static boolean overtookItsChain(TaskResult result, JobProgress known) {
    return result.outcome() == TaskOutcome.FAILED
        && result.fallbackAvailable()
        && known.fallback() == null
        && !known.isTerminal();
  }

  private JobProgress current(String jobId) {
    JobProgress known = progress.get(jobId);
    return known == null ? JobProgress.NONE : known;
  }

  private void deadLetter(Record<String, TaskResult> record, TaskResult result, String reason) {
    var letter =
        DeadLetter.of(
            sinks.sourceTopic(), record.key(), reason, RESULTS.toJson(result), clock.instant());
    context.forward(record.withKey(result.taskId()).withValue(letter), sinks.deadLetters());
    LOG.warn("Task result of task {} set aside to dead letters: {}", result.taskId(), reason);
  }
}
