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
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Issue 12's bulk intake benchmark ({@code bulk-intake}): {@code sluice local} in a child JVM, a
 * JSONL file of {@code --jobs} lines (default 100,000, ~1 KB each, OpenAI, Anthropic and Gemini
 * models mixed) uploaded through {@code POST /v1/files} and run as a {@code 24h} batch. The clock
 * runs from the first byte of the upload until the dispatcher has routed a task for every line
 * ({@code sluice_tasks_dispatched_total}): every job committed in PostgreSQL, published to {@code
 * sluice.jobs.submitted} and read back. The platform's heap is sampled from its {@code /metrics}
 * meanwhile; {@code --platform-heap} bounds it.
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
    List<Map<String, Object>> timeline = new ArrayList<>();
    try (BatchApi client = new BatchApi(api, platform.apiKey())) {
      long start = System.nanoTime();
      JsonNode uploaded = client.upload(file);
      long uploadedAt = System.nanoTime();
      JsonNode batch = client.create(uploaded.path("id").asText(), "24h", Map.of());
      long createdAt = System.nanoTime();
      String id = batch.path("id").asText();
      String status = "";
      long deadline = start + timeout.toNanos();
      double dispatched = 0;
      while (dispatched < lines && System.nanoTime() < deadline) {
        dispatched = metrics.sum("sluice_tasks_dispatched_total", labels -> true);
        peakHeap.accumulateAndGet(heapUsed(metrics), Math::max);
        String now = client.batch(id).path("status").asText();
        if (!now.equals(status)) {
          status = now;
          timeline.add(Map.of("status", now, "at_s", seconds(System.nanoTime() - start)));
        }
        Thread.sleep(SAMPLE_EVERY);
      }
      long doneAt = System.nanoTime();
      JsonNode last = client.batch(id);
      result.put("batch_id", id);
      result.put("upload_s", seconds(uploadedAt - start));
      result.put("create_s", seconds(createdAt - uploadedAt));
      result.put("all_dispatched", dispatched >= lines);
      result.put("dispatched", (long) dispatched);
      result.put("to_last_dispatched_s", seconds(doneAt - start));
      result.put("lines_per_s", Math.round(lines / seconds(doneAt - start)));
      result.put("status_timeline", timeline);
      result.put("request_counts", last.path("request_counts"));
      result.put("platform_peak_heap_used_bytes", peakHeap.get());
      System.out.printf(
          "  bulk-intake: %,d lines uploaded in %.1f s, batch created in %.1f s, %s dispatched"
              + " after %.1f s: %,d lines/s; platform heap peak %,d MiB (of %s)%n",
          lines,
          seconds(uploadedAt - start),
          seconds(createdAt - uploadedAt),
          dispatched >= lines ? "all" : "only " + (long) dispatched,
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
