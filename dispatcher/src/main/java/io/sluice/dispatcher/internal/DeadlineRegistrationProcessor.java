package io.sluice.dispatcher.internal;

import io.sluice.dispatcher.completion.JobProgress;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers a routed job's deadline with completion: in its progress (to find the index entry again
 * when the job ends) and in the deadline index (for the expiry check). A job that already ended
 * (its result overtook the registration) is not registered.
 */
public final class DeadlineRegistrationProcessor
    implements Processor<String, JobDeadline, Void, Void> {
  private static final Logger LOG = LoggerFactory.getLogger(DeadlineRegistrationProcessor.class);

  private final String progressStoreName;
  private final String deadlineStoreName;
  private KeyValueStore<String, JobProgress> progress;
  private DeadlineIndex deadlines;

  public DeadlineRegistrationProcessor(String progressStoreName, String deadlineStoreName) {
    this.progressStoreName = progressStoreName;
    this.deadlineStoreName = deadlineStoreName;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    this.progress = context.getStateStore(progressStoreName);
    this.deadlines = new DeadlineIndex(context.getStateStore(deadlineStoreName));
  }

  @Override
  public void process(Record<String, JobDeadline> record) {
    JobDeadline job = record.value();
    JobProgress known = progress.get(job.jobId());
    JobProgress current = known == null ? JobProgress.NONE : known;
    if (current.isTerminal()) {
      LOG.debug("Job {} ended before its deadline was registered", job.jobId());
      return;
    }
    if (current.deadline() != null && !current.deadline().equals(job.deadline())) {
      deadlines.remove(job.jobId(), current.deadline());
    }
    progress.put(job.jobId(), current.withDeadline(job.deadline()));
    deadlines.add(job.jobId(), job.tenantId(), job.deadline());
  }
}
