package io.sluice.dispatcher.fairness.internal;

import io.sluice.schemas.task.Task;
import java.util.Map;

/**
 * A paced task waiting in the dispatcher's state, with the trace headers it came with (so the
 * worker's span is still a child of the dispatch span when it is released later).
 *
 * @param task the task
 * @param headers its text headers ({@code traceparent}, {@code tracestate})
 */
public record StoredTask(Task task, Map<String, String> headers) {
  public StoredTask {
    headers = headers == null ? Map.of() : Map.copyOf(headers);
  }
}
