package io.sluice.dispatcher.internal;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.context.Scope;
import io.sluice.dispatcher.routing.JobRouter;
import io.sluice.dispatcher.routing.RoutingDecision;
import io.sluice.observability.tracing.SpanAttributes;
import io.sluice.observability.tracing.SpanNames;
import io.sluice.observability.tracing.Tracing;
import io.sluice.schemas.job.SubmittedJob;
import java.time.Clock;
import java.time.Duration;
import org.apache.kafka.streams.processor.PunctuationType;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes each submitted job once: job-api's outbox publishes at least once, so a job ID already in
 * the store of dispatched jobs is dropped. Tasks go to the task sink, rejections to the event sink,
 * the deadline of a dispatched job that has one to the deadline sink (for completion). An entry is
 * deleted {@code retention} after its dispatch (by wall-clock time), which bounds the store: a copy
 * redelivered later than that is dispatched again.
 */
public final class DispatchProcessor implements Processor<String, SubmittedJob, String, Object> {
  private static final Logger LOG = LoggerFactory.getLogger(DispatchProcessor.class);

  private final JobRouter router;
  private final Clock clock;
  private final String storeName;
  private final String taskSink;
  private final String failureSink;
  private final String deadlineSink;
  private final Duration retention;
  private final Duration sweepInterval;
  private final DispatchMetrics metrics;
  private final Tracing tracing;
  private ProcessorContext<String, Object> context;
  private KeyValueStore<String, Long> dispatched;

  public DispatchProcessor(
      JobRouter router,
      Clock clock,
      String storeName,
      String taskSink,
      String failureSink,
      String deadlineSink,
      Duration retention,
      Duration sweepInterval,
      DispatchMetrics metrics,
      Tracing tracing) {
    this.metrics = metrics;
    this.tracing = tracing;
    this.router = router;
    this.clock = clock;
    this.storeName = storeName;
    this.taskSink = taskSink;
    this.failureSink = failureSink;
    this.deadlineSink = deadlineSink;
    this.retention = retention;
    this.sweepInterval = sweepInterval;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    this.dispatched = context.getStateStore(storeName);
    context.schedule(sweepInterval, PunctuationType.WALL_CLOCK_TIME, ignored -> forgetExpired());
  }

  private void forgetExpired() {
    long before = clock.millis() - retention.toMillis();
    int deleted = ExpiredEntries.delete(dispatched, dispatchedAt -> dispatchedAt <= before);
    if (deleted > 0) {
      LOG.debug("Forgot {} jobs dispatched more than {} ago", deleted, retention);
    }
  }

  @Override
  public void process(Record<String, SubmittedJob> record) {
    if (!tracing.enabled()) {
      route(record);
      return;
    }
    Span span = startSpan(record);
    try (Scope ignored = span.makeCurrent()) {
      route(record);
    } finally {
      span.end();
    }
  }

  /** A span per routed job, child of the span that published it (job-api's request). */
  private Span startSpan(Record<String, SubmittedJob> record) {
    SubmittedJob job = record.value();
    return tracing
        .tracer()
        .spanBuilder(SpanNames.DISPATCH)
        .setSpanKind(SpanKind.CONSUMER)
        .setParent(tracing.parentOf(record.headers()))
        .setAttribute(SpanAttributes.JOB_ID, job.jobId())
        .setAttribute(SpanAttributes.TENANT_ID, job.tenantId())
        .startSpan();
  }

  private void route(Record<String, SubmittedJob> record) {
    SubmittedJob job = record.value();
    if (job.carriesChunk()) {
      processChunk(record);
      return;
    }
    if (dispatched.get(job.jobId()) != null) {
      LOG.debug("Job {} was already dispatched; dropping the duplicate submission", job.jobId());
      return;
    }
    forward(record, router.route(job));
    // Only after forwarding: if forwarding fails, the job must not count as dispatched.
    dispatched.put(job.jobId(), clock.millis());
  }

  /**
   * One chunk of a map-reduce job: dropped when seen before (key {@code <jobId>#<index>}); the
   * first chunk routed also registers the job with completion (key {@code <jobId>}).
   */
  private void processChunk(Record<String, SubmittedJob> record) {
    SubmittedJob job = record.value();
    String chunkKey = job.jobId() + "#" + job.chunk().index();
    if (dispatched.get(chunkKey) != null) {
      LOG.debug("Chunk {} was already dispatched; dropping the duplicate", chunkKey);
      return;
    }
    RoutingDecision decision = router.route(job);
    forwardTasks(record, decision);
    if (decision instanceof RoutingDecision.Dispatch dispatch
        && dispatched.get(job.jobId()) == null) {
      var registration =
          new JobDeadline(job.jobId(), job.tenantId(), job.deadline(), dispatch.mapReduce());
      context.forward(record.withKey(job.jobId()).withValue(registration), deadlineSink);
      dispatched.put(job.jobId(), clock.millis());
    }
    dispatched.put(chunkKey, clock.millis());
  }

  /**
   * Completion ends the job {@code expired} if it has not ended by its deadline, and moves its task
   * along its fallback chain if it has one.
   */
  private void register(Record<String, SubmittedJob> record, RoutingDecision.Dispatch dispatch) {
    SubmittedJob job = record.value();
    if (job.deadline() != null || dispatch.fallback() != null) {
      var registration =
          new JobDeadline(job.jobId(), job.tenantId(), job.deadline(), null, dispatch.fallback());
      context.forward(record.withKey(job.jobId()).withValue(registration), deadlineSink);
    }
  }

  private void forward(Record<String, SubmittedJob> record, RoutingDecision decision) {
    forwardTasks(record, decision);
    if (decision instanceof RoutingDecision.Dispatch dispatch) {
      register(record, dispatch);
    }
  }

  private void forwardTasks(Record<String, SubmittedJob> record, RoutingDecision decision) {
    switch (decision) {
      case RoutingDecision.Dispatch dispatch -> {
        Span.current()
            .setAttribute(SpanAttributes.OUTCOME, "dispatched")
            .setAttribute(SpanAttributes.TASKS, dispatch.tasks().size());
        for (var task : dispatch.tasks()) {
          Span.current()
              .setAttribute(SpanAttributes.PROVIDER, task.provider())
              .setAttribute(SpanAttributes.LANE, task.lane().topicSegment())
              .setAttribute(SpanAttributes.MODEL, task.request().model());
          // the task carries the dispatch span's context, so the worker's span is its child
          context.forward(
              TracedRecords.withCurrentTrace(record.withKey(task.taskId()).withValue(task)),
              taskSink);
          metrics.dispatched(task);
          LOG.debug(
              "Job {} queued as task {} on {}/{}",
              task.jobId(),
              task.taskId(),
              task.provider(),
              task.lane().topicSegment());
        }
      }
      case RoutingDecision.Reject reject -> {
        var event = reject.failed();
        Span.current().setAttribute(SpanAttributes.OUTCOME, "rejected");
        context.forward(record.withKey(event.jobId()).withValue(event), failureSink);
        metrics.rejected();
        LOG.info("Job {} failed at dispatch: {}", event.jobId(), event.error().message());
      }
    }
  }
}
