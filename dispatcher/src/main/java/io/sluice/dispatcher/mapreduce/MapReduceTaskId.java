package io.sluice.dispatcher.mapreduce;

import io.sluice.schemas.task.Task;
import java.util.Optional;

/**
 * Where a task of a map-reduce job sits in its tree: level 0 for the map call of chunk {@code
 * index}, level {@code k ≥ 1} for reduce call {@code index} of that level. Read back from the task
 * IDs {@link Task#mapTaskId} and {@link Task#reduceTaskId} write.
 */
public record MapReduceTaskId(int level, int index) {

  /** The place of {@code taskId} of job {@code jobId}; empty for any other task (a completion). */
  public static Optional<MapReduceTaskId> parse(String jobId, String taskId) {
    String prefix = jobId + ".";
    if (taskId == null || !taskId.startsWith(prefix) || taskId.length() < prefix.length() + 2) {
      return Optional.empty();
    }
    String rest = taskId.substring(prefix.length() + 1);
    return switch (taskId.charAt(prefix.length())) {
      case 'm' -> number(rest).map(index -> new MapReduceTaskId(0, index));
      case 'r' -> reduce(rest);
      default -> Optional.empty();
    };
  }

  private static Optional<MapReduceTaskId> reduce(String rest) {
    int dot = rest.indexOf('.');
    if (dot < 0) {
      return Optional.empty();
    }
    Optional<Integer> level = number(rest.substring(0, dot)).filter(l -> l >= 1);
    Optional<Integer> index = number(rest.substring(dot + 1));
    return level.flatMap(l -> index.map(i -> new MapReduceTaskId(l, i)));
  }

  private static Optional<Integer> number(String text) {
    if (text.isEmpty() || text.length() > 9 || !text.chars().allMatch(Character::isDigit)) {
      return Optional.empty();
    }
    return Optional.of(Integer.parseInt(text));
  }

  /** The task ID of this place in job {@code jobId}. */
  public String taskId(String jobId) {
    return level == 0 ? Task.mapTaskId(jobId, index) : Task.reduceTaskId(jobId, level, index);
  }
}
