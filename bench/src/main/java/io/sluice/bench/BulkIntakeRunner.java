package io.sluice.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.bench.bulk.BulkFile;
import io.sluice.bench.bulk.MetricsScrape;
import io.sluice.bench.intake.PlatformProcess;
import io.sluice.launcher.batch.BatchApi;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
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
 */
final class BulkIntakeRunner {
  static final long SEED = 12;
  private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
  private static final Duration SAMPLE_EVERY = Duration.ofMillis(250);

  private final int lines;
  private final String platformHeap;
  private final Duration timeout;
  private final Path logDir;

  BulkIntakeRunner(int lines, String platformHeap, Duration timeout, Path logDir) {
    this.lines = lines;
    this.platformHeap = platformHeap;
    this.timeout = timeout;
    this.logDir = logDir;
  }

  Map<String, Object> run() throws Exception {
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("scenario", BenchOptions.BULK_INTAKE);
    result.put("lines", lines);
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
      long start = System.nanoTime();
      JsonNode uploaded = client.upload(file);
      long uploadedAt = System.nanoTime();
      JsonNode batch = client.create(uploaded.path("id").asText(), "24h", Map.of());
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

  private static long heapUsed(MetricsScrape metrics) {
    return (long) metrics.sum("jvm_memory_used_bytes", labels -> labels.contains("area=\"heap\""));
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }
}
