package io.sluice.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.bench.BenchOptions.Baseline;
import io.sluice.bench.backlog.BacklogProducer;
import io.sluice.bench.backlog.BacklogShape;
import io.sluice.bench.backlog.ResultCounter;
import io.sluice.bench.baseline.NaiveClient;
import io.sluice.bench.measure.MeterSampler;
import io.sluice.bench.measure.RunFigures;
import io.sluice.bench.measure.Sample;
import io.sluice.bench.measure.WaitBySize;
import io.sluice.bench.measure.WindowFigures;
import io.sluice.bench.report.CpuMeter;
import io.sluice.bench.report.Machine;
import io.sluice.bench.scenario.Limits;
import io.sluice.bench.scenario.Scenario;
import io.sluice.bench.worker.WorkerArgs;
import io.sluice.bench.worker.WorkerProcess;
import io.sluice.providers.Provider;
import io.sluice.providers.ProviderConfig;
import io.sluice.providers.ProviderFactory;
import io.sluice.schemas.model.LimitStyle;
import io.sluice.schemas.topic.TopicCatalog;
import io.sluice.simulator.LatencySettings;
import io.sluice.simulator.Simulator;
import io.sluice.simulator.SimulatorConfig;
import io.sluice.workers.InputTokenEstimate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one scenario: the Sluice side, then (if it has one) the naive baseline on a fresh simulator
 * (or both at once, each on its own simulator, with {@code --baseline-alongside}).
 */
final class ScenarioRunner {
  private static final Logger LOG = LoggerFactory.getLogger(ScenarioRunner.class);
  private static final double STEP_SECONDS = 10;
  private static final double SHARE_WARM_UP_SECONDS = 30;
  private static final long SEED = 42;

  private final BenchOptions options;
  private final Infrastructure infrastructure;
  private final Path logDir;
  private final String runId;

  ScenarioRunner(BenchOptions options, Infrastructure infrastructure, Path logDir, String runId) {
    this.options = options;
    this.infrastructure = infrastructure;
    this.logDir = logDir;
    this.runId = runId;
  }

  Map<String, Object> run(Scenario scenario) throws Exception {
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("scenario", scenario.name());
    result.put("simulator_profile", scenario.profile());
    result.put("provider", scenario.provider());
    result.put("model", scenario.model());
    result.put("limits", scenario.limits());
    result.put("estimate_error", scenario.estimateError());
    result.put("enforcement", scenario.enforcement());
    result.put("latency_sigma", scenario.latencySigma());
    result.put("other_client_share", scenario.otherClientShare());
    result.put(
        "input_token_estimate",
        scenario.estimateError() > 0
            ? InputTokenEstimate.TASK_ESTIMATE
            : InputTokenEstimate.COUNTED);
    result.put("duration_seconds", options.duration().toSeconds());
    result.put("share_window_starts_at_seconds", SHARE_WARM_UP_SECONDS);
    result.put("rate_limit_warm_up_seconds", options.warmUp().toSeconds());
    Baseline when = scenario.withBaseline() ? options.baseline() : Baseline.NONE;
    result.put("baseline_ran", when.name().toLowerCase(Locale.ROOT));
    FutureTask<Map<String, Object>> alongside = new FutureTask<>(() -> runBaseline(scenario));
    if (when == Baseline.ALONGSIDE) {
      Thread.ofPlatform().name("baseline-" + scenario.name()).start(alongside);
    }
    Map<String, Object> sluice = runSluice(scenario);
    result.put("sluice", sluice);
    if (when != Baseline.NONE) {
      Map<String, Object> baseline =
          when == Baseline.ALONGSIDE ? join(alongside) : runBaseline(scenario);
      result.put("baseline", baseline);
      double ours = ((RunFigures) sluice.get("figures")).steady().usefulTokensPerMinute();
      double theirs = ((RunFigures) baseline.get("figures")).steady().usefulTokensPerMinute();
      result.put("useful_throughput_ratio", theirs == 0 ? null : ours / theirs);
    }
    return result;
  }

  private static Map<String, Object> join(FutureTask<Map<String, Object>> baseline)
      throws Exception {
    try {
      return baseline.get();
    } catch (ExecutionException e) {
      throw e.getCause() instanceof Exception cause ? cause : e;
    }
  }

  private Simulator simulator(Scenario scenario) {
    return Simulator.start(
        SimulatorConfig.builder()
            .port(0)
            .profile(scenario.profile())
            .enforcement(scenario.enforcement())
            .latency(
                new LatencySettings(options.latencyBase(), options.latencyPerToken())
                    .withSpread(scenario.latencySigma()))
            .build());
  }

  private BacklogShape shape(Scenario scenario) {
    return BacklogShape.realistic(scenario.estimateError(), SEED);
  }

  /** Enough tasks for twice the rate the limits allow over the run plus a minute. */
  static long backlogSize(Limits limits, BacklogShape shape, Duration duration) {
    double minutes = duration.toSeconds() / 60.0 + 1;
    double perMinute =
        limits.accounting() == LimitStyle.REQUESTS_AND_TOKENS
            ? Math.min(limits.rpm(), limits.tpm() / (shape.meanPrompt() + shape.meanOutput()))
            : Math.min(limits.rpm(), limits.itpm() / shape.meanPrompt());
    return (long) Math.ceil(2 * perMinute * minutes) + 100;
  }

  private Map<String, Object> runSluice(Scenario scenario) throws Exception {
    String name = scenario.name() + "-" + runId;
    TopicCatalog topics = new TopicCatalog("bench." + name);
    BacklogShape shape = shape(scenario);
    long backlog = backlogSize(scenario.limits(), shape, options.duration());
    String bootstrap = infrastructure.kafka.bootstrapServers();
    Map<String, Object> out = new LinkedHashMap<>();
    try (Simulator simulator = simulator(scenario)) {
      LOG.info("{}: producing {} tasks", scenario.name(), backlog);
      BacklogProducer.produce(
          bootstrap, topics, scenario.provider(), scenario.model(), shape, name, backlog);
      try (ResultCounter results = new ResultCounter(bootstrap, topics, "bench-results-" + name)) {
        MeterSampler sampler = new MeterSampler(simulator, scenario.model());
        List<WorkerProcess> workers = startWorkers(scenario, simulator, topics, name, sampler);
        JsonNode ready = null;
        for (WorkerProcess worker : workers) {
          ready = worker.awaitReady(Duration.ofSeconds(90));
        }
        LOG.info(
            "{}: {} workers ready, running for {}",
            scenario.name(),
            workers.size(),
            options.duration());
        Map<String, Object> timeline = drive(sampler.start(), workers, scenario);
        sampler.close();
        List<JsonNode> stats = new ArrayList<>();
        for (WorkerProcess worker : workers) {
          stats.add(worker.stop(Duration.ofSeconds(30)));
        }
        results.awaitQuiet(Duration.ofSeconds(2), Duration.ofSeconds(20));
        List<Sample> samples = sampler.samples();
        RunFigures figures =
            RunFigures.of(
                samples,
                scenario.limits(),
                SHARE_WARM_UP_SECONDS,
                options.warmUp().toSeconds(),
                STEP_SECONDS);
        out.put(
            "limiter_wired_into_workers", ready != null && ready.path("limiter_wired").asBoolean());
        out.put("figures", figures);
        out.put(
            "worker_pool",
            Map.of(
                "processes", workers.size(),
                "concurrency", options.concurrency(),
                "records_per_poll", options.recordsPerPoll()));
        putWholeWindows(out, scenario, samples, sampler);
        out.put("tasks_produced", backlog);
        out.put("tasks_succeeded", results.succeeded());
        out.put("tasks_failed", results.failed());
        out.put("backlog_left", backlog - results.succeeded() - results.failed());
        out.put("workers", stats);
        out.put("limiter_wait", limiterWait(stats));
        out.put(
            "wait_by_prompt_size",
            WaitBySize.fromLogs(
                    workers.stream().map(w -> workerLog(name, w.name())).toList(),
                    scenario.limits())
                .buckets());
        out.putAll(timeline);
        if (timeline.get("killed_at_seconds") instanceof Double killedAt) {
          out.put("per_second_around_kill", perSecond(samples, killedAt - 15, killedAt + 45));
        }
        out.put("per_worker_succeeded_per_10s", perWorkerSeries(workers));
      }
    }
    return out;
  }

  private List<WorkerProcess> startWorkers(
      Scenario scenario,
      Simulator simulator,
      TopicCatalog topics,
      String name,
      MeterSampler sampler) {
    List<WorkerProcess> workers = new ArrayList<>();
    for (int i = 0; i < options.workers(); i++) {
      WorkerArgs args =
          new WorkerArgs(
              "worker-" + i,
              infrastructure.kafka.bootstrapServers(),
              topics.prefix(),
              scenario.kind(),
              simulator.baseUrl(),
              name,
              scenario.model(),
              scenario.limits(),
              infrastructure.postgres.jdbcUrl(),
              infrastructure.postgres.username(),
              infrastructure.postgres.password(),
              options.concurrency(),
              options.recordsPerPoll(),
              scenario.estimateError() > 0
                  ? InputTokenEstimate.TASK_ESTIMATE
                  : InputTokenEstimate.COUNTED);
      workers.add(
          WorkerProcess.start(args, workerLog(name, args.instanceId()), sampler::elapsedSeconds));
    }
    return workers;
  }

  private Path workerLog(String run, String worker) {
    return logDir.resolve(run + "-" + worker + ".log");
  }

  /** Waits out the run, killing a worker on the way if the scenario says so. */
  private Map<String, Object> drive(
      MeterSampler sampler, List<WorkerProcess> workers, Scenario scenario)
      throws InterruptedException {
    Map<String, Object> timeline = new LinkedHashMap<>();
    CpuMeter cpuStart = CpuMeter.read();
    String loadStart = Machine.currentLoadAverage();
    if (scenario.killAt() != null) {
      sleepUntil(sampler, scenario.killAt().toSeconds());
      WorkerProcess victim = workers.getLast();
      double at = sampler.elapsedSeconds();
      victim.kill();
      LOG.info("{}: killed {} (pid {}) at {} s", scenario.name(), victim.name(), victim.pid(), at);
      timeline.put("killed_worker", victim.name());
      timeline.put("killed_at_seconds", at);
    }
    sleepUntil(sampler, options.duration().toSeconds());
    sampler.sample();
    timeline.put("cpu_busy_share", CpuMeter.read().busySince(cpuStart));
    timeline.put("load_average_start", loadStart);
    timeline.put("load_average_end", Machine.currentLoadAverage());
    return timeline;
  }

  private static void sleepUntil(MeterSampler sampler, double seconds) throws InterruptedException {
    double left = seconds - sampler.elapsedSeconds();
    if (left > 0) {
      Thread.sleep(Duration.ofMillis((long) (left * 1000)));
    }
  }

  private static Map<String, Object> limiterWait(List<JsonNode> stats) {
    Map<String, Object> wait = new LinkedHashMap<>();
    List<Double> p50 = new ArrayList<>();
    List<Double> p99 = new ArrayList<>();
    for (JsonNode node : stats) {
      if (node != null && node.has("limiter_wait_p50_ms")) {
        p50.add(node.get("limiter_wait_p50_ms").asDouble());
        p99.add(node.get("limiter_wait_p99_ms").asDouble());
      }
    }
    wait.put("p50_ms_per_worker", p50);
    wait.put("p99_ms_per_worker", p99);
    return wait;
  }

  /** Per-second counts (requests, charged and input tokens) from the meter within a window. */
  private static List<Map<String, Object>> perSecond(List<Sample> samples, double from, double to) {
    List<Map<String, Object>> rows = new ArrayList<>();
    for (int i = 1; i < samples.size(); i++) {
      Sample now = samples.get(i);
      if (now.seconds() < from || now.seconds() > to) {
        continue;
      }
      Sample delta = now.minus(samples.get(i - 1));
      Map<String, Object> row = new LinkedHashMap<>();
      row.put("t", Math.round(now.seconds()));
      row.put("requests", delta.requests());
      row.put("charged_tokens", delta.chargedTokens());
      row.put("input_tokens", delta.inputTokens());
      row.put("rate_limited", delta.rateLimited());
      rows.add(row);
    }
    return rows;
  }

  private static Map<String, List<Long>> perWorkerSeries(List<WorkerProcess> workers) {
    Map<String, List<Long>> series = new LinkedHashMap<>();
    for (WorkerProcess worker : workers) {
      List<Long> counts = new ArrayList<>();
      long previous = 0;
      double boundary = STEP_SECONDS;
      for (WorkerProcess.Progress p : worker.progress()) {
        if (p.seconds() >= boundary) {
          counts.add(p.succeeded() - previous);
          previous = p.succeeded();
          boundary += STEP_SECONDS;
        }
      }
      series.put(worker.name(), counts);
    }
    return series;
  }

  private Map<String, Object> runBaseline(Scenario scenario) throws Exception {
    Map<String, Object> out = new LinkedHashMap<>();
    try (Simulator simulator = simulator(scenario);
        Provider provider =
            new ProviderFactory()
                .realtime(
                    ProviderConfig.of(
                        scenario.provider(), scenario.kind(), simulator.baseUrl(), "sk-bench"))) {
      NaiveClient client =
          new NaiveClient(
              provider,
              shape(scenario),
              scenario.model(),
              options.baselineConcurrency(),
              Duration.ofSeconds(1),
              Duration.ofSeconds(32));
      LOG.info(
          "{}: naive baseline, {} threads, for {}",
          scenario.name(),
          options.baselineConcurrency(),
          options.duration());
      MeterSampler sampler = new MeterSampler(simulator, scenario.model()).start();
      CpuMeter cpuStart = CpuMeter.read();
      var threads = client.start();
      sleepUntil(sampler, options.duration().toSeconds());
      sampler.sample();
      double cpu = CpuMeter.read().busySince(cpuStart);
      List<Sample> samples = sampler.samples();
      sampler.close();
      client.stop(threads);
      out.put("concurrency", options.baselineConcurrency());
      out.put("backoff", "1 s doubling to 32 s, x random [0.5, 1], retry-after not used");
      out.put(
          "figures",
          RunFigures.of(
              samples,
              scenario.limits(),
              SHARE_WARM_UP_SECONDS,
              options.warmUp().toSeconds(),
              STEP_SECONDS));
      putWholeWindows(out, scenario, samples, sampler);
      out.put("tasks_succeeded", client.succeeded());
      out.put("tasks_failed", client.failed());
      out.put("rate_limited_seen_by_client", client.rateLimited());
      out.put("cpu_busy_share", cpu);
    }
    return out;
  }

  /**
   * Under a fixed-window provider (variant c), the figures over its whole windows ({@link
   * RunFigures#wholeWindows}) as {@code whole_windows}: the share of the limit that the steady
   * window's span cannot give.
   */
  private static void putWholeWindows(
      Map<String, Object> side, Scenario scenario, List<Sample> samples, MeterSampler sampler) {
    if (scenario.enforcement().fixedWindow()) {
      RunFigures.wholeWindows(
              samples,
              scenario.limits(),
              SHARE_WARM_UP_SECONDS,
              sampler.startedAt(),
              scenario.enforcement().window())
          .ifPresent(figures -> side.put("whole_windows", figures));
    }
  }

  static WindowFigures steady(Map<String, Object> side) {
    return ((RunFigures) side.get("figures")).steady();
  }

  static void ensureDir(Path dir) throws java.io.IOException {
    Files.createDirectories(dir);
  }
}
