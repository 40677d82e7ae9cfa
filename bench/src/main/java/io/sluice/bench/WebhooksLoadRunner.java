package io.sluice.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.bench.webhooks.KindRatios;
import io.sluice.bench.webhooks.Latencies;
import io.sluice.bench.webhooks.LoadRun;
import io.sluice.bench.webhooks.LoadSummary;
import io.sluice.bench.webhooks.Receipt;
import io.sluice.bench.webhooks.Receiver;
import io.sluice.bench.webhooks.RemoteReceivers;
import io.sluice.bench.webhooks.RunPlan;
import io.sluice.dispatcher.Dispatcher;
import io.sluice.dispatcher.DispatcherSettings;
import io.sluice.egress.EgressRules;
import io.sluice.egress.HostResolver;
import io.sluice.jobapi.JobApi;
import io.sluice.jobapi.webhook.WebhookSettings;
import io.sluice.lifecycle.Lifecycle;
import io.sluice.providers.ProviderConfig;
import io.sluice.providers.ProviderFactory;
import io.sluice.providers.ProviderKind;
import io.sluice.schemas.model.ModelCatalog;
import io.sluice.simulator.LatencySettings;
import io.sluice.simulator.Profiles;
import io.sluice.simulator.Simulator;
import io.sluice.simulator.SimulatorConfig;
import io.sluice.workers.WorkerPool;
import io.sluice.workers.WorkerSettings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Issue 10's load benchmark ({@code webhooks-load}): the platform as {@code sluice local} runs it
 * (job-api with webhooks on and loopback allowed, the dispatcher, an OpenAI worker pool, the
 * simulator without rate limits) in this JVM, on the benchmark's Kafka and PostgreSQL; the
 * receivers in a process of their own ({@link RemoteReceivers}: receiving is the client's work, not
 * Sluice's). Each run submits the same number of realtime jobs over HTTP for a tenant of its own:
 * without webhook endpoints, with a fast endpoint, and with a slow (1 s), a down (connection
 * refused) and a fast endpoint, interleaved and repeated ({@link RunPlan}). Compares intake and
 * processing rates with the runs without webhooks next to each run and with all of them, and
 * measures how soon the fast endpoint receives each job's event.
 */
final class WebhooksLoadRunner {
  static final Duration SLOW_ANSWER = Duration.ofSeconds(1);
  static final int WARM_UP_JOBS = 10_000;

  /**
   * The workers' record lock: a task here takes tens of milliseconds and never waits for a rate
   * limiter, and this benchmark saw the share consumers stop receiving ~1,000-1,500 records of a
   * run until their 5-minute locks (the default) ran out; with 30 s locks such a stall costs 30 s.
   */
  static final Duration WORKER_LOCK = Duration.ofSeconds(30);

  private static final Duration POLL = Duration.ofMillis(100);
  private static final Duration FAST_DRAIN = Duration.ofMinutes(3);
  private static final Duration RUN_TIMEOUT = Duration.ofMinutes(15);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String MODEL = "gpt-4o-mini";

  private final BenchOptions options;
  private final Infrastructure infrastructure;
  private final String prefix;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(10))
          .build();
  private final AtomicLong httpRetries = new AtomicLong();

  WebhooksLoadRunner(BenchOptions options, Infrastructure infrastructure, String run) {
    this.options = options;
    this.infrastructure = infrastructure;
    this.prefix = "webhooks" + run;
  }

  Map<String, Object> run() throws Exception {
    int jobs = options.nightly().jobs();
    List<RunPlan.Run> plan = RunPlan.interleaved(options.repeats());
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("scenario", BenchOptions.WEBHOOKS);
    result.put("jobs_per_run", jobs);
    result.put("warm_up_jobs", WARM_UP_JOBS);
    result.put("discarded_plain_jobs", jobs);
    result.put("repeats", options.repeats());
    result.put("order", plan.stream().map(RunPlan.Run::name).toList());
    result.put("submit_concurrency", options.nightly().submitConcurrency());
    result.put("worker_concurrency", options.concurrency());
    result.put("simulator_profile", "unlimited");
    result.put("slow_answer_ms", SLOW_ANSWER.toMillis());
    result.put("worker_lock_seconds", WORKER_LOCK.toSeconds());
    result.put("webhook_settings", WebhookSettings.defaults().toString());
    result.put("receivers", "a process of their own");
    List<LoadRun> warmUp = new ArrayList<>();
    List<LoadRun> runs = new ArrayList<>();
    try (RemoteReceivers receivers = RemoteReceivers.start(SLOW_ANSWER);
        Lifecycle sluice = new Lifecycle("webhooks-load")) {
      JobApi api = startSluice(sluice);
      try (Connection db = connect()) {
        // every endpoint kind, so that the sender's, the egress client's and the receivers' code is
        // compiled before the first measured run with webhooks; then a plain run that is not
        // counted either: the first plain run after the warm-up was the slowest in every
        // measurement so far
        warmUp.add(
            measure(api, db, receivers, "warm-up", List.of("slow", "down", "fast"), WARM_UP_JOBS));
        warmUp.add(measure(api, db, receivers, "warm-up-none", List.of(), jobs));
        warmUp.forEach(run -> print(run, " (not counted)"));
        for (RunPlan.Run planned : plan) {
          LoadRun figures = measure(api, db, receivers, planned.name(), planned.endpoints(), jobs);
          runs.add(figures);
          print(figures, "");
        }
      }
    }
    result.put("warm_up_runs", warmUp);
    result.put("runs", runs);
    LoadRun baseline = LoadRun.baseline(runs);
    result.put("baseline", baseline);
    Map<String, Object> ratios = new LinkedHashMap<>();
    Map<String, Object> adjacent = new LinkedHashMap<>();
    for (int i = 0; i < runs.size(); i++) {
      LoadRun run = runs.get(i);
      if (!run.endpoints().isEmpty()) {
        LoadRun neighbours = LoadRun.adjacentBaseline(runs, i);
        Map<String, Object> ratio = new LinkedHashMap<>();
        ratio.put("intake", run.intakeRatio(neighbours));
        ratio.put("processing", run.processingRatio(neighbours));
        ratio.put("processing_to_90_percent", run.ninetyPercentRatio(neighbours));
        ratio.put("within_10_percent", run.within(neighbours, LoadSummary.TOLERANCE));
        ratio.put(
            "neighbours", LoadRun.adjacentPlainRuns(runs, i).stream().map(LoadRun::name).toList());
        adjacent.put(run.name(), ratio);
      }
      ratios.put(
          run.name(),
          Map.of(
              "intake", run.intakeRatio(baseline),
              "processing", run.processingRatio(baseline),
              "processing_to_90_percent", run.ninetyPercentRatio(baseline),
              "within_10_percent", run.within(baseline, LoadSummary.TOLERANCE)));
    }
    result.put("ratios_to_baseline", ratios);
    result.put("ratios_to_adjacent_runs_without_webhooks", adjacent);
    result.put("ratios_by_kind", KindRatios.of(runs));
    result.put("http_retries", httpRetries.get());
    result.put("bench_process_peak_rss_mib", selfPeakRssKib() / 1024);
    return result;
  }

  private static void print(LoadRun run, String note) {
    System.out.printf(
        Locale.ROOT,
        "  %s: intake %.1f jobs/s, processed %.1f jobs/s, fast p50 %d ms p99 %d ms%s%n",
        run.name(),
        run.intakePerSecond(),
        run.processedPerSecond(),
        run.fastLatency().p50Ms(),
        run.fastLatency().p99Ms(),
        note);
  }

  /** The dispatcher, an OpenAI worker pool and job-api with webhooks as {@code sluice local}. */
  private JobApi startSluice(Lifecycle sluice) throws IOException {
    Simulator simulator =
        sluice.started(
            "simulator",
            Simulator.start(
                SimulatorConfig.builder()
                    .port(0)
                    .profile(Profiles.named("unlimited"))
                    .latency(new LatencySettings(options.latencyBase(), options.latencyPerToken()))
                    .build()));
    String bootstrap = infrastructure.kafka.bootstrapServers();
    ModelCatalog models = ModelCatalog.defaults();
    Dispatcher dispatcher =
        sluice.started(
            "dispatcher",
            Dispatcher.start(
                DispatcherSettings.builder(
                        bootstrap, Files.createTempDirectory("sluice-webhooks-dispatcher"))
                    .topicPrefix(prefix)
                    .models(models)
                    .replicationFactor((short) 1)
                    .build()));
    ProviderConfig openai =
        ProviderConfig.of(
            "openai", ProviderKind.forProvider("openai"), simulator.baseUrl(), "sk-bench");
    sluice.started(
        "openai workers",
        WorkerPool.start(
            WorkerSettings.builder(bootstrap, prefix, "openai")
                .concurrency(options.concurrency())
                .lockDuration(WORKER_LOCK)
                .topics(6, (short) 1)
                .build(),
            sluice.started("openai client", new ProviderFactory().realtime(openai))));
    JobApi api =
        sluice.started(
            "job-api",
            JobApi.start(
                infrastructure
                    .jobApi(prefix, models)
                    .webhooks(
                        WebhookSettings.defaults()
                            .withSecretKey(randomKey())
                            .withEgress(EgressRules.local(), HostResolver.system()))
                    .build()));
    dispatcher.awaitRunning(Duration.ofSeconds(60));
    return api;
  }

  private LoadRun measure(
      JobApi api,
      Connection db,
      RemoteReceivers receivers,
      String name,
      List<String> endpoints,
      int jobs)
      throws Exception {
    receivers.clear();
    String tenant = api.admin().ensureTenant(prefix + "-" + name).id();
    String key = api.admin().issueKey(tenant).plaintext();
    Map<String, String> endpointIds = new LinkedHashMap<>();
    for (String endpoint : endpoints) {
      URI url =
          switch (endpoint) {
            case "fast", "slow" -> receivers.url(endpoint);
            default -> Receiver.down();
          };
      endpointIds.put(endpoint, createEndpoint(api, key, url));
    }
    HeapPeak heap = HeapPeak.start();
    Instant start = Instant.now();
    submit(api, key, name, jobs);
    Instant submitted = Instant.now();
    Terminal processed = awaitTerminal(db, tenant, jobs, start);
    int slowDuringRun = receivers.count("slow");
    long downAttempts = attempts(db, endpointIds.get("down"));
    long peakHeap = heap.stop();
    if (endpoints.contains("fast")) {
      awaitReceipts(receivers, jobs);
    }
    long succeeded =
        count(db, "SELECT count(*) FROM jobs WHERE tenant_id = ? AND status = 'succeeded'", tenant);
    List<Receipt> fastReceipts = receivers.receipts("fast");
    LoadRun.Deliveries deliveries =
        new LoadRun.Deliveries(
            Latencies.of(fastReceipts),
            Latencies.finishedFrom(fastReceipts, submitted),
            Latencies.byFinish(fastReceipts, start, Duration.ofSeconds(10)),
            receivers.count("fast"),
            slowDuringRun,
            downAttempts,
            countFor(
                db,
                "SELECT count(*) FROM webhook_deliveries WHERE endpoint_id = ?",
                endpointIds.get("down")),
            countFor(
                db,
                "SELECT count(*) FROM webhook_deliveries WHERE endpoint_id = ?"
                    + " AND status IN ('pending', 'failed')",
                endpointIds.get("down")),
            count(db, "SELECT count(*) FROM webhook_deliveries WHERE tenant_id = ?", tenant));
    for (String id : endpointIds.values()) {
      disableEndpoint(api, key, id);
    }
    return LoadRun.of(
        name,
        endpoints,
        jobs,
        succeeded,
        Duration.between(start, submitted),
        Duration.between(start, processed.all()),
        Duration.between(start, processed.ninetyPercent()),
        deliveries,
        peakHeap);
  }

  /** Submits {@code jobs} realtime jobs from {@code submitConcurrency} virtual threads. */
  private void submit(JobApi api, String key, String run, int jobs) throws InterruptedException {
    AtomicInteger next = new AtomicInteger();
    AtomicReference<Exception> failure = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < options.nightly().submitConcurrency(); t++) {
      threads.add(
          Thread.ofVirtual()
              .start(
                  () -> {
                    for (int i = next.getAndIncrement();
                        i < jobs && failure.get() == null;
                        i = next.getAndIncrement()) {
                      try {
                        post(api, key, "/v1/jobs", jobBody(i), run + "-" + i);
                      } catch (Exception e) {
                        failure.compareAndSet(null, e);
                      }
                    }
                  }));
    }
    for (Thread thread : threads) {
      thread.join();
    }
    if (failure.get() != null) {
      throw new IllegalStateException("a submission failed", failure.get());
    }
  }

  private static Map<String, Object> jobBody(int index) {
    return Map.of(
        "model",
        MODEL,
        "messages",
        List.of(Map.of("role", "user", "content", "reverse: alpha beta gamma " + index)),
        "max_tokens",
        16,
        "mode",
        "realtime",
        "metadata",
        Map.of("bench", "webhooks-load"));
  }

  private String createEndpoint(JobApi api, String key, URI url) throws Exception {
    return post(
            api,
            key,
            "/v1/webhook-endpoints",
            Map.of("url", url.toString(), "event_types", List.of("job.succeeded", "job.failed")),
            null)
        .path("id")
        .asText();
  }

  private void disableEndpoint(JobApi api, String key, String id) throws Exception {
    HttpRequest request =
        authorized(api, key, "/v1/webhook-endpoints/" + id)
            .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"enabled\":false}"))
            .build();
    HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() / 100 != 2) {
      throw new IOException("disabling endpoint " + id + ": HTTP " + response.statusCode());
    }
  }

  /** POSTs JSON; retries 429, 503 and lost connections with a short backoff. */
  private JsonNode post(JobApi api, String key, String path, Object body, String idempotencyKey)
      throws Exception {
    HttpRequest.Builder builder =
        authorized(api, key, path)
            .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
    if (idempotencyKey != null) {
      builder.header("Idempotency-Key", idempotencyKey);
    }
    HttpRequest request = builder.build();
    for (int attempt = 1; ; attempt++) {
      try {
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        int status = response.statusCode();
        if (status / 100 == 2) {
          return JSON.readTree(response.body());
        }
        if (!(status == 429 || status == 503 || status == 409) || attempt >= 20) {
          throw new IOException(path + ": HTTP " + status);
        }
      } catch (IOException e) {
        if (attempt >= 20 || e.getMessage() != null && e.getMessage().startsWith(path)) {
          throw e;
        }
      }
      httpRetries.incrementAndGet();
      Thread.sleep(Math.min(2_000, 100L << Math.min(attempt, 5)));
    }
  }

  private static HttpRequest.Builder authorized(JobApi api, String key, String path) {
    return HttpRequest.newBuilder(api.url().resolve(path))
        .timeout(Duration.ofSeconds(60))
        .header("Authorization", "Bearer " + key)
        .header("Content-Type", "application/json");
  }

  /** When job-api showed 90% and all of a run's jobs terminal. */
  private record Terminal(Instant ninetyPercent, Instant all) {}

  /** When job-api showed 90% and every job of the tenant terminal, polled every {@link #POLL}. */
  private static Terminal awaitTerminal(Connection db, String tenant, int jobs, Instant start)
      throws SQLException, InterruptedException {
    Instant lastPrint = Instant.now();
    Instant ninetyPercent = null;
    while (true) {
      long terminal =
          count(
              db,
              "SELECT count(*) FROM jobs WHERE tenant_id = ?"
                  + " AND status IN ('succeeded', 'failed', 'expired', 'cancelled')",
              tenant);
      Instant now = Instant.now();
      if (ninetyPercent == null && terminal >= LoadRun.ninetyPercentOf(jobs)) {
        ninetyPercent = now;
      }
      if (terminal >= jobs) {
        return new Terminal(ninetyPercent, now);
      }
      if (Duration.between(start, now).compareTo(RUN_TIMEOUT) > 0) {
        throw new IllegalStateException(
            "only " + terminal + " of " + jobs + " jobs terminal after " + RUN_TIMEOUT);
      }
      if (Duration.between(lastPrint, now).toSeconds() >= 10) {
        System.out.printf(
            Locale.ROOT,
            "    %5.0f s: terminal %,d / %,d%n",
            Duration.between(start, now).toMillis() / 1000.0,
            terminal,
            jobs);
        lastPrint = now;
      }
      Thread.sleep(POLL.toMillis());
    }
  }

  private static void awaitReceipts(RemoteReceivers receivers, int expected)
      throws InterruptedException, IOException {
    Instant deadline = Instant.now().plus(FAST_DRAIN);
    while (receivers.count("fast") < expected && Instant.now().isBefore(deadline)) {
      Thread.sleep(POLL.toMillis());
    }
  }

  private static long attempts(Connection db, String endpointId) throws SQLException {
    return countFor(
        db,
        "SELECT count(*) FROM webhook_attempts a JOIN webhook_deliveries d ON d.id = a.delivery_id"
            + " WHERE d.endpoint_id = ?",
        endpointId);
  }

  private static long countFor(Connection db, String sql, String id) throws SQLException {
    return id == null ? 0 : count(db, sql, id);
  }

  private static long count(Connection db, String sql, String parameter) throws SQLException {
    try (PreparedStatement statement = db.prepareStatement(sql)) {
      statement.setString(1, parameter);
      try (ResultSet rows = statement.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    }
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection(
        infrastructure.postgres.jdbcUrl(),
        infrastructure.postgres.username(),
        infrastructure.postgres.password());
  }

  private static String randomKey() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return Base64.getEncoder().encodeToString(key);
  }

  private static long selfPeakRssKib() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmHWM:")) {
          return Long.parseLong(line.substring(6).replace("kB", "").strip());
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  /** The largest used heap of this JVM, sampled every 250 ms until stopped. */
  private static final class HeapPeak {
    private final AtomicLong peak = new AtomicLong();
    private final Thread sampler;

    private HeapPeak() {
      sampler =
          Thread.ofVirtual()
              .start(
                  () -> {
                    Runtime runtime = Runtime.getRuntime();
                    while (!Thread.currentThread().isInterrupted()) {
                      peak.accumulateAndGet(
                          runtime.totalMemory() - runtime.freeMemory(), Math::max);
                      try {
                        Thread.sleep(250);
                      } catch (InterruptedException e) {
                        return;
                      }
                    }
                  });
    }

    static HeapPeak start() {
      return new HeapPeak();
    }

    long stop() {
      sampler.interrupt();
      return peak.get() / (1024 * 1024);
    }
  }
}
