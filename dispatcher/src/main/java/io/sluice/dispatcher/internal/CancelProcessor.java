package io.sluice.dispatcher.internal;

import io.sluice.dispatcher.completion.CompletionStep;
import io.sluice.dispatcher.completion.JobCompletion;
import io.sluice.dispatcher.completion.JobProgress;
import io.sluice.schemas.job.JobControl;
import java.time.Clock;
import java.time.Instant;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies cancels from {@code jobs.control} to the job-progress store (shared with {@link
 * CompletionProcessor}, in the same stream task: the control topic is partitioned like {@code
 * task-results}): a job that has not ended ends {@code cancelled}, once; its deadline entry goes. A
 * cancel of an ended job, or a second one, changes nothing.
 */
public final class CancelProcessor implements Processor<String, JobControl, String, Object> {
  private static final Logger LOG = LoggerFactory.getLogger(CancelProcessor.class);

  private final JobCompletion completion;
  private final Clock clock;
  private final CompletionProcessor.StoreNames stores;
  private final String events;
  private ProcessorContext<String, Object> context;
  private KeyValueStore<String, JobProgress> progress;
  private DeadlineIndex deadlines;

  public CancelProcessor(
      JobCompletion completion, Clock clock, CompletionProcessor.StoreNames stores, String events) {
    this.completion = completion;
    this.clock = clock;
    this.stores = stores;
    this.events = events;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    this.progress = context.getStateStore(stores.progress());
    this.deadlines = new DeadlineIndex(context.getStateStore(stores.deadlines()));
  }

  @Override
  public void process(Record<String, JobControl> record) {
    JobControl control = record.value();
    if (control == null
        || control.action() != JobControl.Action.CANCEL
        || control.jobId() == null) {
      LOG.debug("Ignoring a control record without a job or an action it knows");
      return;
    }
    String jobId = control.jobId();
    JobProgress stored = progress.get(jobId);
    JobProgress known = stored == null ? JobProgress.NONE : stored;
    Instant now = clock.instant();
    var step = completion.cancel(known, jobId, control.tenantId(), now);
    if (step instanceof CompletionStep.Completed completed) {
      context.forward(new Record<>(jobId, completed.event(), now.toEpochMilli()), events);
      progress.put(jobId, completed.progress());
      if (known.deadline() != null) {
        deadlines.remove(jobId, known.deadline());
      }
      LOG.info("Job {} cancelled", jobId);
    } else {
      LOG.debug("Cancel of job {} changes nothing: {}", jobId, step);
    }
  }
}
