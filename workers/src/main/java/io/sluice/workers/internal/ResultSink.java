package io.sluice.workers.internal;

import io.sluice.schemas.task.TaskResult;
import io.sluice.schemas.topic.DeadLetter;

/**
 * Where task outcomes go. Both methods return only once the record is durable, and throw when it is
 * not, so that the task is acknowledged only after its result is safe.
 */
public interface ResultSink {
  void publish(TaskResult result);

  /**
   * @param key the dead letter's key: the task ID, or the record's own key when the task is
   *     unreadable
   */
  void deadLetter(String key, DeadLetter letter);
}
