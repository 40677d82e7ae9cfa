package io.sluice.dispatcher.fairness.internal;

import io.sluice.dispatcher.fairness.PacingSettings;
import io.sluice.schemas.task.Task;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;

/**
 * Where a routed task goes: a task of a paced lane to the dispatcher's paced-tasks topic, keyed by
 * its job ID (partitioned like {@code task-results}, so its results reach the stream task that
 * paces it); any other straight to its task topic, keyed by task ID, as before.
 */
public final class PacingRouter implements Processor<String, Task, String, Task> {
  private final PacingSettings settings;
  private final String taskTopicSink;
  private final String pacedSink;
  private ProcessorContext<String, Task> context;

  public PacingRouter(PacingSettings settings, String taskTopicSink, String pacedSink) {
    this.settings = settings;
    this.taskTopicSink = taskTopicSink;
    this.pacedSink = pacedSink;
  }

  @Override
  public void init(ProcessorContext<String, Task> context) {
    this.context = context;
  }

  @Override
  public void process(Record<String, Task> record) {
    Task task = record.value();
    if (settings.paces(task.lane())) {
      context.forward(record.withKey(task.jobId()), pacedSink);
    } else {
      context.forward(record, taskTopicSink);
    }
  }
}
