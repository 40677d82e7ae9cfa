package io.sluice.dispatcher.internal;

import io.sluice.schemas.task.Task;
import io.sluice.schemas.topic.TopicCatalog;
import org.apache.kafka.streams.processor.RecordContext;
import org.apache.kafka.streams.processor.TopicNameExtractor;

/** Sends each task to its provider's lane: {@code <prefix>.tasks.<provider>.<lane>}. */
public final class TaskTopicExtractor implements TopicNameExtractor<String, Task> {
  private final TopicCatalog topics;

  public TaskTopicExtractor(TopicCatalog topics) {
    this.topics = topics;
  }

  @Override
  public String extract(String key, Task task, RecordContext recordContext) {
    return topics.tasks(task.provider(), task.lane()).name();
  }
}
