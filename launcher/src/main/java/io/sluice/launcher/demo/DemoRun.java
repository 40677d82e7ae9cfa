package io.sluice.launcher.demo;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.launcher.client.SluiceClient;
import io.sluice.schemas.job.JobStatus;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * Submits a workload concurrently over HTTP, waits for every job to end, checks each output against
 * the expected one and measures latency (from the API's own {@code created_at} and {@code
 * finished_at}, so polling does not blur it).
 */
public final class DemoRun {
  private static final int CONCURRENCY = 32;
  private static final Duration POLL_INTERVAL = Duration.ofMillis(100);
  private static final Duration WEBHOOK_WAIT = Duration.ofSeconds(30);
  private static final Duration LONG_POLL = Duration.ofSeconds(30);

  /** How the demo waits for its jobs. */
  public enum Waiting {
    /** One long poll per job ({@code GET /v1/jobs/{id}?wait=30s}), again until it has ended. */
    LONG_POLL,
    /** Every unfinished job read again every 100 ms: how the demo waited before long polls. */
    POLL
  }

  private final SluiceClient client;
  private final Clock clock;
  private final Progress progress;
  private WebhookReceiver webhooks;
  private Waiting waiting = Waiting.LONG_POLL;

  public DemoRun(SluiceClient client, Clock clock, PrintStream progressOut, boolean terminal) {
    this.client = client;
    this.clock = clock;
    this.progress = new Progress(progressOut, terminal, clock);
  }

  /**
   * Also receives the jobs' events by webhook: registers an endpoint of the tenant pointing at a
   * receiver on this machine, which verifies every signature. Close the receiver after the run.
   */
  DemoRun receivingWebhooks(WebhookReceiver receiver) {
    receiver.useSecret(
        client
            .createWebhookEndpoint(receiver.url(), "sluice demo receiver")
            .get("secret")
            .asText());
    this.webhooks = receiver;
    return this;
  }

  DemoRun waitingBy(Waiting value) {
    this.waiting = Objects.requireNonNull(value, "waiting");
    return this;
  }

  /** Runs the workload and waits at most {@code timeout} for it to finish. */
  public DemoSummary run(List<DemoJob> jobs, Duration timeout) throws InterruptedException {
    Instant start = clock.instant();
    Map<String, DemoJob> submitted = submitAll(jobs);
    Map<String, JsonNode> finished =
        waiting == Waiting.POLL
            ? awaitAll(submitted.keySet(), start.plus(timeout))
            : awaitEach(submitted.keySet(), start.plus(timeout));
    Duration wallTime = Duration.between(start, clock.instant());
    DemoSummary summary = summarize(jobs.size(), submitted, finished, wallTime);
    return webhooks == null ? summary : summary.withWebhooks(awaitEvents(finished));
  }

  /** Waits (at most {@link #WEBHOOK_WAIT}) for the event of every finished job. */
  private WebhookFigures awaitEvents(Map<String, JsonNode> finished) throws InterruptedException {
    Instant deadline = clock.instant().plus(WEBHOOK_WAIT);
    while (!webhooks.firstArrivals().keySet().containsAll(finished.keySet())
        && clock.instant().isBefore(deadline)) {
      Thread.sleep(POLL_INTERVAL);
    }
    Map<String, Instant> arrivals = webhooks.firstArrivals();
    List<Duration> latencies = new ArrayList<>();
    for (var job : finished.entrySet()) {
      Instant arrived = arrivals.get(job.getKey());
      if (arrived != null) {
        Instant done = Instant.parse(job.getValue().get("finished_at").asText());
        latencies.add(Duration.between(done, arrived));
      }
    }
    long[] sorted = latencies.stream().mapToLong(Duration::toMillis).sorted().toArray();
    return new WebhookFigures(
        finished.size(),
        latencies.size(),
        webhooks.deliveries(),
        webhooks.unverified(),
        Duration.ofMillis(DemoSummary.percentile(sorted, 50)),
        Duration.ofMillis(DemoSummary.percentile(sorted, 99)));
  }

  private Map<String, DemoJob> submitAll(List<DemoJob> jobs) throws InterruptedException {
    Map<String, DemoJob> byId = new ConcurrentHashMap<>();
    Semaphore slots = new Semaphore(CONCURRENCY);
    try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> futures = new ArrayList<>();
      for (DemoJob job : jobs) {
        slots.acquire();
        futures.add(
            executor.submit(
                () -> {
                  try {
                    byId.put(client.submit(body(job)).get("id").asText(), job);
                    progress.show("submitted", byId.size(), jobs.size());
                  } finally {
                    slots.release();
                  }
                }));
      }
      for (Future<?> future : futures) {
        awaitQuietly(future);
      }
    }
    progress.finish();
    return byId;
  }

  private static void awaitQuietly(Future<?> future) throws InterruptedException {
    try {
      future.get();
    } catch (java.util.concurrent.ExecutionException e) {
      System.err.println("a submission failed: " + e.getCause().getMessage());
    }
  }

  private Map<String, JsonNode> awaitAll(Iterable<String> ids, Instant deadline)
      throws InterruptedException {
    List<String> pending = new ArrayList<>();
    ids.forEach(pending::add);
    int total = pending.size();
    Map<String, JsonNode> finished = new ConcurrentHashMap<>();
    try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
      while (!pending.isEmpty() && clock.instant().isBefore(deadline)) {
        List<Future<?>> polls = new ArrayList<>();
        for (String id : pending) {
          polls.add(executor.submit(() -> pollOnce(id, finished)));
        }
        for (Future<?> poll : polls) {
          awaitQuietly(poll);
        }
        pending.removeIf(finished::containsKey);
        progress.show("done", total - pending.size(), total);
        if (!pending.isEmpty()) {
          Thread.sleep(POLL_INTERVAL);
        }
      }
    }
    progress.finish();
    return finished;
  }

  /** One long poll after another per job, on a virtual thread each, until it ends. */
  private Map<String, JsonNode> awaitEach(Collection<String> ids, Instant deadline)
      throws InterruptedException {
    Map<String, JsonNode> finished = new ConcurrentHashMap<>();
    try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> waits = new ArrayList<>();
      for (String id : ids) {
        waits.add(
            executor.submit(
                () -> {
                  awaitOne(id, deadline, finished);
                  progress.show("done", finished.size(), ids.size());
                }));
      }
      for (Future<?> wait : waits) {
        awaitQuietly(wait);
      }
    }
    progress.finish();
    return finished;
  }

  private void awaitOne(String id, Instant deadline, Map<String, JsonNode> finished) {
    Duration left;
    while ((left = Duration.between(clock.instant(), deadline)).isPositive()) {
      JsonNode job = client.job(id, left.compareTo(LONG_POLL) < 0 ? left : LONG_POLL);
      if (JobStatus.fromWireName(job.get("status").asText()).isTerminal()) {
        finished.put(id, job);
        return;
      }
    }
  }

  private void pollOnce(String id, Map<String, JsonNode> finished) {
    JsonNode job = client.job(id);
    if (JobStatus.fromWireName(job.get("status").asText()).isTerminal()) {
      finished.put(id, job);
    }
  }

  private static DemoSummary summarize(
      int total, Map<String, DemoJob> submitted, Map<String, JsonNode> finished, Duration wall) {
    int succeeded = 0;
    int wrongOutput = 0;
    List<Duration> latencies = new ArrayList<>();
    for (var entry : finished.entrySet()) {
      JsonNode job = entry.getValue();
      latencies.add(latency(job));
      if (!"succeeded".equals(job.get("status").asText())) {
        continue;
      }
      if (Objects.equals(
          entry.getValue().path("output").asText(null),
          submitted.get(entry.getKey()).expectedOutput())) {
        succeeded++;
      } else {
        wrongOutput++;
      }
    }
    return DemoSummary.of(total, succeeded, wrongOutput, wall, latencies);
  }

  private static Duration latency(JsonNode job) {
    Instant created = Instant.parse(job.get("created_at").asText());
    Instant finished = Instant.parse(job.get("finished_at").asText());
    return Duration.between(created, finished);
  }

  /** The request body of a demo job. */
  static Map<String, Object> body(DemoJob job) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("model", job.model());
    body.put("messages", List.of(Map.of("role", "user", "content", job.prompt())));
    body.put("max_tokens", 64);
    body.put("metadata", Map.of("source", "sluice-demo"));
    return body;
  }
}
