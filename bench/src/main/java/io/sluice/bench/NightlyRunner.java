package io.sluice.bench;

import io.sluice.bench.deferred.BatchQueueFigures;
import io.sluice.bench.deferred.BatchSubmitterProcess;
import io.sluice.bench.deferred.DeferredFigures;
import io.sluice.bench.deferred.JobClient;
import io.sluice.bench.deferred.JobOutcome;
import io.sluice.bench.deferred.PromptMix;
import io.sluice.dispatcher.Dispatcher;
import io.sluice.dispatcher.DispatcherSettings;
import io.sluice.jobapi.JobApi;
import io.sluice.lifecycle.Lifecycle;
import io.sluice.providers.ProviderConfig;
import io.sluice.providers.ProviderFactory;
import io.sluice.providers.ProviderKind;
import io.sluice.providers.pricing.PriceTable;
import io.sluice.schemas.model.ModelCatalog;
import io.sluice.simulator.BatchSettings;
import io.sluice.simulator.LatencySettings;
import io.sluice.simulator.MeterSnapshot;
import io.sluice.simulator.Profile;
import io.sluice.simulator.Profiles;
import io.sluice.simulator.Simulator;
import io.sluice.simulator.SimulatorConfig;
import io.sluice.workers.WorkerPool;
import io.sluice.workers.WorkerSettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The deferred lane's nightly run ({@code deferred-nightly}): the whole of Sluice on this machine —
 * job-api, dispatcher and worker pools in the benchmark's JVM, the batch-submitter in a JVM of its
 * own — on the benchmark's embedded Kafka and PostgreSQL, against the simulator with tier-1 batch
 * limits and a spread of batch processing times. Submits the jobs over HTTP, waits until every one
 * is terminal and reports what they cost against the realtime price.
 */
final class NightlyRunner {
  /** The simulator's profile: tier-1 rate limits and batch queue limits of both providers. */
  static final String PROFILE = "tier1";

  /** Validation (and finalizing) of an OpenAI batch. */
  static final Duration VALIDATION = Duration.ofSeconds(5);

  /** Lines that fail with a server error, so that items are resubmitted. */
  static final double ERROR_SHARE = 0.01;

  /** How long the oldest pending item waits for others before its batch is created. */
  static final Duration LINGER = Duration.ofSeconds(10);

  /** How often the batch-submitter reads its batches' status. */
  static final Duration POLL = Duration.ofSeconds(2);

  /** Giving up when no job became terminal for this long. */
  static final Duration STALL = Duration.ofMinutes(20);

  private static final Duration PROGRESS_EVERY = Duration.ofSeconds(10);
  private static final String TENANT = "nightly-bench";

  private final BenchOptions options;
  private final NightlyOptions nightly;
  private final Infrastructure infrastructure;
  private final Path logDir;
  private final String run;
  private final ModelCatalog models = ModelCatalog.defaults();

  NightlyRunner(BenchOptions options, Infrastructure infrastructure, Path logDir, String run) {
    this.options = options;
    this.nightly = options.nightly();
    this.infrastructure = infrastructure;
    this.logDir = logDir;
    this.run = "nightly" + run;
  }

  Map<String, Object> run() throws Exception {
    Profile profile = Profiles.named(PROFILE);
    BatchSettings batches = batchSettings();
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("scenario", BenchOptions.NIGHTLY);
    result.put("jobs", nightly.jobs());
    result.put("profile", PROFILE);
    result.put("batch_settings", batchSettingsFigures(batches));
    result.put(
        "prompt_mix",
        "70% gpt-4o-mini, 30% claude-haiku-4-5; prompts 60% 50-400, 30% 400-1500, 10% 1500-4000 tokens; max_tokens 100-1000");
    result.put("mean_prompt_tokens", PromptMix.meanPromptTokens());
    result.put("linger_seconds", LINGER.toSeconds());
    PromptMix mix = PromptMix.nightly(42);
    try (Lifecycle sluice = new Lifecycle("deferred-nightly")) {
      Simulator simulator =
          sluice.started("simulator", Simulator.start(simulatorConfig(profile, batches)));
      JobApi api = startSluice(sluice, simulator);
      BatchSubmitterProcess submitter =
          sluice.started("batch-submitter process", startBatchSubmitter(simulator));
      submitter.awaitReady(Duration.ofMinutes(2));
      String key = api.admin().issueKey(api.admin().ensureTenant(TENANT).id()).plaintext();
      JobClient client = new JobClient(api.url(), key);

      Instant submitStart = Instant.now();
      String[] ids = submit(client, mix);
      Instant submitEnd = Instant.now();
      System.out.printf(
          Locale.ROOT,
          "  submitted %,d jobs in %.1f s (%d HTTP retries)%n",
          ids.length,
          Duration.between(submitStart, submitEnd).toMillis() / 1000.0,
          client.retries());
      boolean allTerminal = awaitTerminal(submitStart, submitter);
      long peakRssKib = submitter.peakRssKib();
      List<JobOutcome> outcomes = readBack(client, mix, ids);
      MeterSnapshot meter = simulator.meter().snapshot();
      List<BatchQueueFigures> queues =
          List.of(
              BatchQueueFigures.of(meter, profile.batchLimits(), "openai", mix.openAiModel()),
              BatchQueueFigures.of(
                  meter, profile.batchLimits(), "anthropic", mix.anthropicModel()));
      DeferredFigures figures =
          DeferredFigures.of(outcomes, submitStart, submitEnd, queues, PriceTable.defaults());
      result.put("all_terminal_before_timeout", allTerminal);
      result.put("figures", figures);
      result.put("http_retries", client.retries());
      result.put("batch_submitter_peak_rss_mib", peakRssKib / 1024);
      result.put(
          "memory_measured",
          "VmHWM of the batch-submitter's own JVM ("
              + "-Xmx512m, SerialGC); job-api, dispatcher, workers, simulator and Kafka share the"
              + " benchmark's JVM");
      result.put("bench_process_peak_rss_mib", selfPeakRssKib() / 1024);
    }
    return result;
  }

  private BatchSettings batchSettings() {
    return BatchSettings.BENCHMARK
        .withValidationTime(VALIDATION)
        .withCancelTime(VALIDATION)
        .withProcessingTime(nightly.batchTimeMin(), nightly.batchTimeMax())
        .withErrorShare(ERROR_SHARE);
  }

  private static Map<String, Object> batchSettingsFigures(BatchSettings batches) {
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("validation_seconds", batches.validationTime().toSeconds());
    figures.put("processing_min_seconds", batches.processingTime().toSeconds());
    figures.put("processing_max_seconds", batches.processingTimeMax().toSeconds());
    figures.put("line_skew", batches.lineSkew());
    figures.put("error_share", batches.errorShare());
    return figures;
  }

  private SimulatorConfig simulatorConfig(Profile profile, BatchSettings batches) {
    return SimulatorConfig.builder()
        .port(0)
        .profile(profile)
        .latency(new LatencySettings(options.latencyBase(), options.latencyPerToken()))
        .batches(batches)
        .build();
  }

  /** The dispatcher, a worker pool per provider of the mix, job-api; in this JVM. */
  private JobApi startSluice(Lifecycle sluice, Simulator simulator) throws IOException {
    String bootstrap = infrastructure.kafka.bootstrapServers();
    Path state = Files.createTempDirectory("sluice-nightly-dispatcher");
    Dispatcher dispatcher =
        sluice.started(
            "dispatcher",
            Dispatcher.start(
                DispatcherSettings.builder(bootstrap, state)
                    .topicPrefix(run)
                    .models(models)
                    .replicationFactor((short) 1)
                    .build()));
    ProviderFactory factory = new ProviderFactory();
    for (String provider : List.of("openai", "anthropic")) {
      ProviderConfig config =
          ProviderConfig.of(
              provider, ProviderKind.forProvider(provider), simulator.baseUrl(), "sk-bench");
      sluice.started(
          provider + " workers",
          WorkerPool.start(
              WorkerSettings.builder(bootstrap, run, provider)
                  .concurrency(options.concurrency())
                  .topics(6, (short) 1)
                  .build(),
              sluice.started(provider + " client", factory.realtime(config))));
    }
    JobApi api =
        sluice.started("job-api", JobApi.start(infrastructure.jobApi(run, models).build()));
    dispatcher.awaitRunning(Duration.ofSeconds(60));
    return api;
  }

  private BatchSubmitterProcess startBatchSubmitter(Simulator simulator) {
    return BatchSubmitterProcess.start(
        infrastructure.kafka.bootstrapServers(),
        infrastructure.postgres.jdbcUrl(),
        infrastructure.postgres.username(),
        infrastructure.postgres.password(),
        simulator.baseUrl().toString(),
        run,
        LINGER,
        POLL,
        logDir.resolve("batch-submitter.log"));
  }

  /** Submits every job from {@code submitConcurrency} virtual threads; the job IDs by index. */
  private String[] submit(JobClient client, PromptMix mix) throws InterruptedException {
    String[] ids = new String[nightly.jobs()];
    AtomicInteger next = new AtomicInteger();
    AtomicReference<Exception> failure = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < nightly.submitConcurrency(); t++) {
      threads.add(
          Thread.ofVirtual()
              .name("submit-" + t)
              .start(
                  () -> {
                    for (int i = next.getAndIncrement();
                        i < ids.length && failure.get() == null;
                        i = next.getAndIncrement()) {
                      try {
                        ids[i] = client.submit(mix.job(i), run);
                      } catch (Exception e) {
                        failure.compareAndSet(null, e);
                      }
                      if (i > 0 && i % 10_000 == 0) {
                        System.out.printf(Locale.ROOT, "  submitting: %,d%n", i);
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
    return ids;
  }

  /**
   * Waits until every job is terminal, counting the job rows in job-api's table (cheap, unlike
   * reading 100,000 jobs over HTTP every few seconds); prints progress. False on a timeout or a
   * stall.
   */
  private boolean awaitTerminal(Instant start, BatchSubmitterProcess submitter)
      throws SQLException, InterruptedException {
    Instant deadline = start.plus(nightly.timeout());
    long lastTerminal = -1;
    Instant lastChange = Instant.now();
    try (Connection db =
            DriverManager.getConnection(
                infrastructure.postgres.jdbcUrl(),
                infrastructure.postgres.username(),
                infrastructure.postgres.password());
        Statement statement = db.createStatement()) {
      while (true) {
        long terminal;
        long running;
        try (ResultSet rows =
            statement.executeQuery(
                "select count(*) filter (where status in ('succeeded', 'failed', 'expired')),"
                    + " count(*) filter (where status = 'running') from jobs")) {
          rows.next();
          terminal = rows.getLong(1);
          running = rows.getLong(2);
        }
        System.out.printf(
            Locale.ROOT,
            "  %5.0f s: terminal %,d / %,d, running %,d; batch-submitter RSS %d MiB%n",
            Duration.between(start, Instant.now()).toMillis() / 1000.0,
            terminal,
            nightly.jobs(),
            running,
            submitter.rssKib() / 1024);
        if (terminal >= nightly.jobs()) {
          return true;
        }
        if (terminal != lastTerminal) {
          lastTerminal = terminal;
          lastChange = Instant.now();
        }
        Instant now = Instant.now();
        if (now.isAfter(deadline) || Duration.between(lastChange, now).compareTo(STALL) > 0) {
          return false;
        }
        if (!submitter.isAlive()) {
          System.out.println("  the batch-submitter process died; see its log");
          return false;
        }
        Thread.sleep(PROGRESS_EVERY.toMillis());
      }
    }
  }

  /** Every job through {@code GET /v1/jobs/{id}}, with bounded concurrency. */
  private List<JobOutcome> readBack(JobClient client, PromptMix mix, String[] ids)
      throws InterruptedException {
    JobOutcome[] outcomes = new JobOutcome[ids.length];
    AtomicInteger next = new AtomicInteger();
    AtomicReference<Exception> failure = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    for (int t = 0; t < nightly.submitConcurrency(); t++) {
      threads.add(
          Thread.ofVirtual()
              .name("read-" + t)
              .start(
                  () -> {
                    for (int i = next.getAndIncrement();
                        i < ids.length && failure.get() == null;
                        i = next.getAndIncrement()) {
                      try {
                        outcomes[i] = client.outcome(ids[i], mix.job(i));
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
      throw new IllegalStateException("reading a job back failed", failure.get());
    }
    return List.of(outcomes);
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
}
