package io.sluice.workers.internal;

import io.sluice.schemas.task.TaskResult;
import io.sluice.schemas.topic.DeadLetter;

/**
 * Where task outcomes go. {@link #publish} and {@link #deadLetter} return only once the record is
 * durable, and throw when it is not, so that the task is acknowledged only after its result is
 * safe.
 */
public interface ResultSink {
  void publish(TaskResult result);

  /**
   * Tells that a task's first call started ({@link TaskResult#started}), without waiting: the news
   * only moves the job to {@code running}, and losing it changes no outcome. Sent before the task's
   * end on the same key, so it cannot overtake it.
   */
  void announce(TaskResult started);

  /**
   * @param key the dead letter's key: the task ID, or the record's own key when the task is
   *     unreadable
   */
  void deadLetter(String key, DeadLetter letter);
}
