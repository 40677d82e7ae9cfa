package io.sluice.dispatcher;

import static io.sluice.dispatcher.JobFixtures.NOW;

import io.sluice.schemas.Versioned;
import io.sluice.schemas.job.ChunkErrorPolicy;
import io.sluice.schemas.job.DocumentChunk;
import io.sluice.schemas.job.ErrorInfo;
import io.sluice.schemas.job.MapReduceSpec;
import io.sluice.schemas.job.Mode;
import io.sluice.schemas.job.Priority;
import io.sluice.schemas.job.SubmittedJob;
import io.sluice.schemas.job.TokenUsage;
import io.sluice.schemas.task.Task;
import io.sluice.schemas.task.TaskOutcome;
import io.sluice.schemas.task.TaskResult;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Map-reduce jobs for dispatcher tests, and a worker's answers as the simulator gives them: a map
 * {@code count occurrences of "x"} counts "x" in its chunk, a reduce {@code sum the numbers} sums
 * the numbers of its partial answers, so a job's total is known from its chunks alone.
 */
final class MapReduceFixtures {
  static final String MAP = "count occurrences of \"x\"";
  static final String REDUCE = "sum the numbers";
  static final int MAX_TOKENS = 10;

  /** Each answer counts 10 tokens + 1 separator: a reduce call holds 3 of them. */
  static final long BUDGET = 33;

  private MapReduceFixtures() {}

  static List<String> chunks(int n) {
    List<String> chunks = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      chunks.add("x ".repeat(i % 7 + 1) + "and y " + "x".repeat(i % 3) + "\n\n");
    }
    return chunks;
  }

  static int expectedTotal(List<String> chunks) {
    return chunks.stream().mapToInt(MapReduceFixtures::count).sum();
  }

  static int count(String text) {
    return text.split("x", -1).length - 1;
  }

  static MapReduceSpec spec(int chunks, ChunkErrorPolicy policy, int maxDepth) {
    return new MapReduceSpec(
        new MapReduceSpec.Phase("gpt-4o-mini", MAP, MAX_TOKENS, null, null),
        new MapReduceSpec.Phase("gpt-4o-mini", REDUCE, MAX_TOKENS, null, null),
        chunks,
        policy,
        BUDGET,
        1,
        maxDepth);
  }

  /** The records job-api publishes for a job: one per chunk, each with the header. */
  static List<SubmittedJob> records(String jobId, List<String> chunks, MapReduceSpec spec) {
    SubmittedJob header =
        SubmittedJob.mapReduce(
            jobId, "tenant-1", Priority.STANDARD, Mode.REALTIME, spec, NOW, null);
    List<SubmittedJob> records = new ArrayList<>();
    for (int i = 0; i < chunks.size(); i++) {
      records.add(header.withChunk(new DocumentChunk(i, chunks.get(i))));
    }
    return records;
  }

  /** The output the simulator gives the task. */
  static TaskResult answer(Task task) {
    String instruction = task.request().messages().get(0).content();
    String text = task.request().messages().get(1).content();
    String output = instruction.equals(MAP) ? Integer.toString(count(text)) : sum(text).toString();
    return result(task, TaskOutcome.SUCCEEDED, output, null);
  }

  static TaskResult failure(Task task) {
    return result(
        task,
        TaskOutcome.FAILED,
        null,
        ErrorInfo.permanent("provider_rejected", "the provider refused the call"));
  }

  private static BigInteger sum(String text) {
    Matcher numbers = Pattern.compile("\\d+").matcher(text);
    BigInteger total = BigInteger.ZERO;
    while (numbers.find()) {
      total = total.add(new BigInteger(numbers.group()));
    }
    return total;
  }

  private static TaskResult result(Task task, TaskOutcome outcome, String output, ErrorInfo error) {
    return new TaskResult(
        Versioned.CURRENT,
        task.taskId(),
        task.jobId(),
        task.tenantId(),
        outcome,
        output,
        new TokenUsage(5, 1),
        "openai",
        "gpt-4o-mini",
        new BigDecimal("0.000001"),
        error,
        1,
        NOW,
        NOW.plusSeconds(1));
  }
}
