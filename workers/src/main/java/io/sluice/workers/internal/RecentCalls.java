package io.sluice.workers.internal;

import io.sluice.scaling.TaskShape;
import io.sluice.schemas.task.Task;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The pool's last {@link #CAPACITY} successful provider calls: their models, their sizes as the
 * limiter counts them (the input estimate, plus {@code max_tokens} when the request sets it, else
 * the output used) and how long they took. The scaling signal reads the mix and an instance's speed
 * from it.
 */
final class RecentCalls {
  static final int CAPACITY = 512;

  private record Call(String model, long inputTokens, long outputTokens, long nanos) {}

  private final Call[] calls = new Call[CAPACITY];
  private int next;
  private int size;

  synchronized void record(Task task, long nanos, long outputTokensUsed) {
    Integer maxTokens = task.request().maxTokens();
    calls[next] =
        new Call(
            task.request().model(),
            task.estimatedInputTokens(),
            maxTokens != null ? maxTokens : outputTokensUsed,
            nanos);
    next = (next + 1) % CAPACITY;
    size = Math.min(size + 1, CAPACITY);
  }

  /** Each recent model's share and mean size; empty before the first call. */
  synchronized List<TaskShape> shapes() {
    Map<String, long[]> byModel = new LinkedHashMap<>();
    for (int i = 0; i < size; i++) {
      long[] sums = byModel.computeIfAbsent(calls[i].model(), model -> new long[3]);
      sums[0]++;
      sums[1] += calls[i].inputTokens();
      sums[2] += calls[i].outputTokens();
    }
    List<TaskShape> shapes = new ArrayList<>();
    byModel.forEach(
        (model, sums) ->
            shapes.add(
                new TaskShape(
                    model,
                    (double) sums[0] / size,
                    (double) sums[1] / sums[0],
                    (double) sums[2] / sums[0])));
    return shapes;
  }

  /** The mean time of the recent calls; empty before the first call. */
  synchronized Optional<Duration> meanCallTime() {
    if (size == 0) {
      return Optional.empty();
    }
    long total = 0;
    for (int i = 0; i < size; i++) {
      total += calls[i].nanos();
    }
    return Optional.of(Duration.ofNanos(total / size));
  }
}
