package io.sluice.launcher.demo;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a demo run achieved.
 *
 * @param submitted jobs accepted by the API
 * @param succeeded jobs that succeeded with the expected output
 * @param failed jobs that failed, ended otherwise, or whose output was wrong
 * @param wrongOutput of the failed ones, those that succeeded with an unexpected output
 * @param wallTime from the first submission to the last job done
 * @param latencyP50 median submit-to-done latency
 * @param latencyP99 99th percentile submit-to-done latency
 * @param webhooks what the demo's webhook receiver saw; {@code null} when it did not listen
 */
public record DemoSummary(
    int submitted,
    int succeeded,
    int failed,
    int wrongOutput,
    Duration wallTime,
    Duration latencyP50,
    Duration latencyP99,
    WebhookFigures webhooks) {

  /** Builds the summary from per-job latencies of the jobs that finished. */
  public static DemoSummary of(
      int submitted, int succeeded, int wrongOutput, Duration wallTime, List<Duration> latencies) {
    long[] sorted = latencies.stream().mapToLong(Duration::toMillis).sorted().toArray();
    return new DemoSummary(
        submitted,
        succeeded,
        submitted - succeeded,
        wrongOutput,
        wallTime,
        Duration.ofMillis(percentile(sorted, 50)),
        Duration.ofMillis(percentile(sorted, 99)),
        null);
  }

  /** This summary with what the webhook receiver saw. */
  public DemoSummary withWebhooks(WebhookFigures figures) {
    return new DemoSummary(
        submitted, succeeded, failed, wrongOutput, wallTime, latencyP50, latencyP99, figures);
  }

  /** Nearest-rank percentile of sorted values; 0 for no values. */
  static long percentile(long[] sorted, int percent) {
    if (sorted.length == 0) {
      return 0;
    }
    int rank = (int) Math.ceil(percent / 100.0 * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  public double jobsPerSecond() {
    double seconds = wallTime.toNanos() / 1e9;
    return seconds == 0 ? 0 : succeeded / seconds;
  }

  /** Every job succeeded with its expected output and, when listened for, its event arrived. */
  public boolean allSucceeded() {
    return submitted > 0 && succeeded == submitted && (webhooks == null || webhooks.complete());
  }

  /** The summary as people read it. */
  public String toText() {
    return String.join(
            System.lineSeparator(),
            "jobs submitted   " + submitted,
            "jobs succeeded   " + succeeded,
            "jobs failed      "
                + failed
                + (wrongOutput > 0 ? " (" + wrongOutput + " wrong output)" : ""),
            "wall time        " + String.format("%.2f s", wallTime.toMillis() / 1000.0),
            "throughput       " + String.format("%.1f jobs/s", jobsPerSecond()),
            "latency p50      " + latencyP50.toMillis() + " ms (submit to done)",
            "latency p99      " + latencyP99.toMillis() + " ms")
        + (webhooks == null ? "" : System.lineSeparator() + webhooks.toText());
  }

  /** The summary as one JSON object (for {@code --json}). */
  public Map<String, Object> toJsonFields() {
    Map<String, Object> fields = new LinkedHashMap<>();
    fields.put("jobs_submitted", submitted);
    fields.put("jobs_succeeded", succeeded);
    fields.put("jobs_failed", failed);
    fields.put("wrong_output", wrongOutput);
    fields.put("wall_time_ms", wallTime.toMillis());
    fields.put("jobs_per_second", Math.round(jobsPerSecond() * 10) / 10.0);
    fields.put("latency_p50_ms", latencyP50.toMillis());
    fields.put("latency_p99_ms", latencyP99.toMillis());
    if (webhooks != null) {
      fields.putAll(webhooks.toJsonFields());
    }
    return fields;
  }
}
