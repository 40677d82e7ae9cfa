package io.sluice.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.bench.bulk.BulkFile;
import io.sluice.bench.bulk.MetricsScrape;
import io.sluice.bench.intake.PlatformDatabase;
import io.sluice.bench.intake.PlatformProcess;
import io.sluice.bench.intake.ProcessCpu;
import io.sluice.launcher.batch.BatchApi;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Issue 12's bulk intake benchmark ({@code bulk-intake}): {@code sluice local} in a child JVM, a
 * JSONL file of {@code --jobs} lines (default 100,000, ~1 KB each, OpenAI, Anthropic and Gemini
 * models mixed) uploaded through {@code POST /v1/files} and run as a {@code 24h} batch. The clock
 * runs from the first byte of the upload until every line is a job committed in PostgreSQL (the
 * create answers at once with the batch {@code validating}; it is {@code in_progress} then) and
 * published to {@code sluice.jobs.submitted} (job-api's {@code sluice_outbox_backlog} back at 0);
 * how many the dispatcher had routed by then is noted. The platform's heap is sampled from its
 * {@code /metrics} meanwhile; {@code --platform-heap} bounds it.
 *
 * <p>{@code bulk-run} is the same with a window the realtime lanes take ({@code 1h}), followed to
 * the batch's end: how long from the upload to {@code completed}, how many lines a second from
 * {@code in_progress} on, and the platform's CPU time (its JVM, and with PostgreSQL's processes)
 * over that stretch.
 */
final class BulkIntakeRunner {
  static final long SEED = 12;
  private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
  private static final Duration SAMPLE_EVERY = Duration.ofMillis(250);

  private static final Set<String> ENDED = Set.of("completed", "failed", "expired", "cancelled");

  private final int lines;
  private final String platformHeap;
  private final String window;
  private final boolean untilEnded;
  private final Duration timeout;
  private final Path logDir;

  /**
   * @param window the batch's {@code completion_window}
   * @param untilEnded whether to follow the batch to its end ({@code bulk-run})
   */
  BulkIntakeRunner(
      int lines,
      String platformHeap,
      String window,
      boolean untilEnded,
      Duration timeout,
      Path logDir) {
    this.lines = lines;
    this.platformHeap = platformHeap;
    this.window = window;
    this.untilEnded = untilEnded;
    this.timeout = timeout;
    this.logDir = logDir;
  }

  Map<String, Object> run() throws Exception {
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("scenario", untilEnded ? BenchOptions.BULK_RUN : BenchOptions.BULK_INTAKE);
    result.put("lines", lines);
    result.put("window", window);
    result.put("platform_max_heap", platformHeap);
    Path data = Files.createTempDirectory("sluice-bulk");
    Path file = data.resolve("bulk-" + lines + ".jsonl");
    try {
      long bytes = BulkFile.write(file, lines, SEED);
      result.put("file_bytes", bytes);
      System.out.printf("  %,d lines, %,d bytes in %s%n", lines, bytes, file);
      try (PlatformProcess platform =
          PlatformProcess.start(
              data.resolve("local"), logDir.resolve("sluice-local-bulk.log"), platformHeap)) {
        URI api = platform.awaitApi(START_TIMEOUT);
        System.out.println("  sluice local (pid " + platform.pid() + ") serves " + api);
        measure(platform, api, file, result);
        result.put("platform_exit_code", platform.stop());
      }
    } finally {
      IntakeRunner.deleteRecursively(data);
    }
    return result;
  }

  private void measure(PlatformProcess platform, URI api, Path file, Map<String, Object> result)
      throws InterruptedException {
    MetricsScrape metrics = new MetricsScrape(platform.metricsUrl());
    AtomicLong peakHeap = new AtomicLong();
    try (BatchApi client = new BatchApi(api, platform.apiKey())) {
      double[] cpuAtStart = {ProcessCpu.seconds(platform.pid()), postgresCpu(platform)};
      long start = System.nanoTime();
      JsonNode uploaded = client.upload(file);
      long uploadedAt = System.nanoTime();
      JsonNode batch = client.create(uploaded.path("id").asText(), window, Map.of());
      long createdAt = System.nanoTime();
      String id = batch.path("id").asText();
      // The create answers at once (validating); committed: the batch in_progress, every line a
      // committed job; published: then job-api's outbox empty.
      long deadline = start + timeout.toNanos();
      long committedAt = 0;
      double backlog = Double.NaN;
      while (System.nanoTime() < deadline) {
        peakHeap.accumulateAndGet(heapUsed(metrics), Math::max);
        if (committedAt == 0 && !"validating".equals(client.batch(id).path("status").asText())) {
          committedAt = System.nanoTime();
        }
        if (committedAt != 0) {
          backlog = metrics.sum("sluice_outbox_backlog", labels -> true);
          if (backlog == 0) {
            break;
          }
        }
        Thread.sleep(SAMPLE_EVERY);
      }
      double dispatched = metrics.sum("sluice_tasks_dispatched_total", labels -> true);
      long doneAt = System.nanoTime();
      if (untilEnded && committedAt != 0) {
        follow(platform, client, id, start, committedAt, deadline, cpuAtStart, result);
      }
      JsonNode last = client.batch(id);
      result.put("batch_id", id);
      result.put("upload_s", seconds(uploadedAt - start));
      result.put("create_answered_s", seconds(createdAt - uploadedAt));
      result.put("validated_s", committedAt == 0 ? null : seconds(committedAt - uploadedAt));
      result.put("committed_s", committedAt == 0 ? null : seconds(committedAt - start));
      result.put("all_published", backlog == 0);
      result.put("to_last_published_s", seconds(doneAt - start));
      result.put("lines_per_s", Math.round(lines / seconds(doneAt - start)));
      result.put("dispatched_by_then", (long) dispatched);
      result.put("request_counts", last.path("request_counts"));
      result.put("platform_peak_heap_used_bytes", peakHeap.get());
      System.out.printf(
          "  bulk-intake: %,d lines uploaded in %.1f s, committed as jobs in %.1f s more, %s"
              + " published after %.1f s in all: %,d lines/s; platform heap peak %,d MiB (of %s)%n",
          lines,
          seconds(uploadedAt - start),
          committedAt == 0 ? Double.NaN : seconds(committedAt - uploadedAt),
          backlog == 0 ? "all" : "not all",
          seconds(doneAt - start),
          Math.round(lines / seconds(doneAt - start)),
          peakHeap.get() >> 20,
          platformHeap);
    }
  }

  /**
   * Follows the batch to its end: the time, the lines a second from {@code in_progress} on, and the
   * CPU seconds of the platform's JVM and of its PostgreSQL (postmaster and backends) from the
   * upload's start.
   */
  private void follow(
      PlatformProcess platform,
      BatchApi client,
      String id,
      long start,
      long committedAt,
      long deadline,
      double[] cpuAtStart,
      Map<String, Object> result)
      throws InterruptedException {
    String status = client.batch(id).path("status").asText();
    while (!ENDED.contains(status) && System.nanoTime() < deadline) {
      Thread.sleep(SAMPLE_EVERY);
      status = client.batch(id).path("status").asText();
    }
    long endedAt = System.nanoTime();
    double jvmCpu = ProcessCpu.seconds(platform.pid()) - cpuAtStart[0];
    double postgresCpu = postgresCpu(platform) - cpuAtStart[1];
    double cpu = jvmCpu + postgresCpu;
    double running = seconds(endedAt - committedAt);
    result.put("status", status);
    result.put("ended_s", ENDED.contains(status) ? seconds(endedAt - start) : null);
    result.put("in_progress_to_end_s", running);
    result.put("processed_lines_per_s", Math.round(lines / running));
    result.put("platform_jvm_cpu_s", jvmCpu);
    result.put("postgres_cpu_s", postgresCpu);
    result.put("cpu_ms_per_line", Math.round(cpu * 1000.0 / lines * 100) / 100.0);
    System.out.printf(
        "  bulk-run: %s after %.1f s (%.1f s from in_progress: %,d lines/s); CPU %.1f s"
            + " (platform JVM %.1f s, PostgreSQL %.1f s), %.2f ms a line%n",
        status,
        seconds(endedAt - start),
        running,
        Math.round(lines / running),
        cpu,
        jvmCpu,
        postgresCpu,
        cpu * 1000.0 / lines);
  }

  /** CPU seconds of the platform's PostgreSQL so far (0 when it cannot be read). */
  private static double postgresCpu(PlatformProcess platform) {
    try (PlatformDatabase database = PlatformDatabase.of(platform.dataDir())) {
      return database.cpuSeconds();
    } catch (SQLException | RuntimeException e) {
      return 0;
    }
  }

  private static long heapUsed(MetricsScrape metrics) {
    return (long) metrics.sum("jvm_memory_used_bytes", labels -> labels.contains("area=\"heap\""));
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }
}
