package io.sluice.dispatcher.internal;

import io.sluice.dispatcher.completion.JobProgress;
import io.sluice.schemas.task.TaskResult;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Registers a routed job's deadline with completion: in its progress (to find the index entry again
 * when the job ends) and in the deadline index (for the expiry check); and a completion job's
 * fallback plan in its progress (a redelivered registration does not reset a plan that moved on). A
 * job that already ended (its result overtook the registration) is not registered. A failed result
 * that completion held because it overtook the job's chain is handed back to completion once the
 * chain is in the job's progress.
 */
public final class DeadlineRegistrationProcessor
    implements Processor<String, JobDeadline, String, Object> {
  private static final Logger LOG = LoggerFactory.getLogger(DeadlineRegistrationProcessor.class);

  private final String progressStoreName;
  private final String deadlineStoreName;
  private final String overtakingStoreName;
  private final String mapReduceNode;
  private final String completeNode;
  private ProcessorContext<String, Object> context;
  private KeyValueStore<String, JobProgress> progress;
  private KeyValueStore<String, TaskResult> overtaking;
  private DeadlineIndex deadlines;

  /**
   * @param overtakingStoreName failed results held until their job's chain is registered
   * @param mapReduceNode the processor a map-reduce job's registration is forwarded to
   * @param completeNode the processor a held result is handed back to
   */
  public DeadlineRegistrationProcessor(
      String progressStoreName,
      String deadlineStoreName,
      String overtakingStoreName,
      String mapReduceNode,
      String completeNode) {
    this.progressStoreName = progressStoreName;
    this.deadlineStoreName = deadlineStoreName;
    this.overtakingStoreName = overtakingStoreName;
    this.mapReduceNode = mapReduceNode;
    this.completeNode = completeNode;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
    this.progress = context.getStateStore(progressStoreName);
    this.deadlines = new DeadlineIndex(context.getStateStore(deadlineStoreName));
    this.overtaking = context.getStateStore(overtakingStoreName);
  }

  @Override
  public void process(Record<String, JobDeadline> record) {
    JobDeadline job = record.value();
    if (job.mapReduce() != null) {
      context.forward(record.withValue(job.mapReduce()), mapReduceNode);
    }
    if (job.deadline() == null && job.fallback() == null) {
      return;
    }
    JobProgress known = progress.get(job.jobId());
    JobProgress current = known == null ? JobProgress.NONE : known;
    if (current.isTerminal()) {
      LOG.debug("Job {} ended before its deadline or fallback chain was registered", job.jobId());
      overtaking.delete(job.jobId());
      return;
    }
    if (job.fallback() != null && current.fallback() == null) {
      current = current.withFallback(job.fallback());
    }
    if (job.deadline() != null) {
      if (current.deadline() != null && !current.deadline().equals(job.deadline())) {
        deadlines.remove(job.jobId(), current.deadline());
      }
      current = current.withDeadline(job.deadline());
      deadlines.add(job.jobId(), job.tenantId(), job.deadline());
    }
    progress.put(job.jobId(), current);
    TaskResult held = overtaking.get(job.jobId());
    if (held != null) {
      overtaking.delete(job.jobId());
      context.forward(new Record<>(job.jobId(), held, record.timestamp()), completeNode);
    }
  }
}
