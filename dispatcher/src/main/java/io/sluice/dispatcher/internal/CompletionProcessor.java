package io.sluice.dispatcher.internal;

import io.sluice.dispatcher.completion.CompletionStep;
import io.sluice.dispatcher.completion.JobCompletion;
import io.sluice.dispatcher.completion.JobProgress;
import io.sluice.schemas.json.JsonSerde;
import io.sluice.schemas.task.TaskResult;
import io.sluice.schemas.topic.DeadLetter;
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
 * Records task results in the job-progress store and publishes a job's {@code running} event and
 * its terminal event once each. Duplicates are dropped; results of unknown tasks are dead-lettered.
 * A finished job's entry is deleted {@code retention} after its end (by wall-clock time); a running
 * job's entry stays.
 */
public final class CompletionProcessor implements Processor<String, TaskResult, String, Object> {
  private static final Logger LOG = LoggerFactory.getLogger(CompletionProcessor.class);
  private static final JsonSerde<TaskResult> RESULTS = JsonSerde.of(TaskResult.class);

  private final JobCompletion completion;
  private final Clock clock;
  private final String storeName;
  private final String sourceTopic;
  private final String eventSink;
  private final String deadLetterSink;
  private final Duration retention;
  private final Duration sweepInterval;
  private ProcessorContext<String, Object> context;
  private KeyValueStore<String, JobProgress> progress;

  public CompletionProcessor(
      JobCompletion completion,
      Clock clock,
      String storeName,
      String sourceTopic,
      String eventSink,
      String deadLetterSink,
      Duration retention,
      Duration sweepInterval) {
    this.completion = completion;
    this.clock = clock;
    this.storeName = storeName;
    this.sourceTopic = sourceTopic;
    this.eventSink = eventSink;
    this.deadLetterSink = deadLetterSink;
    this.retention = retention;
    this.sweepInterval = sweepInterval;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    this.progress = context.getStateStore(storeName);
    context.schedule(sweepInterval, PunctuationType.WALL_CLOCK_TIME, ignored -> forgetExpired());
  }

  private void forgetExpired() {
    var now = clock.instant();
    int deleted = ExpiredEntries.delete(progress, job -> job.isExpired(now, retention));
    if (deleted > 0) {
      LOG.debug("Forgot {} jobs finished more than {} ago", deleted, retention);
    }
  }

  @Override
  public void process(Record<String, TaskResult> record) {
    TaskResult result = record.value();
    JobProgress known = progress.get(result.jobId());
    var step = completion.record(known == null ? JobProgress.NONE : known, result, clock.instant());
    switch (step) {
      case CompletionStep.Started started -> {
        context.forward(record.withKey(result.jobId()).withValue(started.event()), eventSink);
        progress.put(result.jobId(), started.progress());
        LOG.debug("Job {} running", result.jobId());
      }
      case CompletionStep.Completed completed -> {
        context.forward(record.withKey(result.jobId()).withValue(completed.event()), eventSink);
        // Only after forwarding: if forwarding fails, the job must not count as done.
        progress.put(result.jobId(), completed.progress());
        LOG.debug("Job {} {}", result.jobId(), completed.event().status().wireName());
      }
      case CompletionStep.Duplicate duplicate ->
          LOG.debug("Dropping a duplicate task result: {}", duplicate.reason());
      case CompletionStep.Rejected rejected -> deadLetter(record, result, rejected.reason());
    }
  }

  private void deadLetter(Record<String, TaskResult> record, TaskResult result, String reason) {
    var letter =
        DeadLetter.of(sourceTopic, record.key(), reason, RESULTS.toJson(result), clock.instant());
    context.forward(record.withKey(result.taskId()).withValue(letter), deadLetterSink);
    LOG.warn("Task result of task {} set aside to dead letters: {}", result.taskId(), reason);
  }
}
